import { ConfigReader } from '@backstage/config';
import { readProductOsConfig as readAll } from './config';

const DAY = 86_400_000;

/** The settings of the store, the read API and retention (the agent's are tested with it). */
function readProductOsConfig(config: ConfigReader) {
  const { retention, errorSampleSize, entityCacheMs } = readAll(config);
  return { retention, errorSampleSize, entityCacheMs };
}

describe('readProductOsConfig', () => {
  it('keeps raw samples 14 days, aggregates 180 days, and prunes hourly by default', () => {
    expect(readProductOsConfig(new ConfigReader({}))).toEqual({
      retention: {
        rawMaxAgeMs: 14 * DAY,
        aggregateMaxAgeMs: 180 * DAY,
        schedule: {
          frequency: { hours: 1 },
          timeout: { minutes: 10 },
          initialDelay: { minutes: 1 },
        },
      },
      errorSampleSize: 50,
      entityCacheMs: 60_000,
    });
  });

  it('fills what a partial config leaves out with the defaults', () => {
    const config = readProductOsConfig(
      new ConfigReader({ productOs: { retention: { rawDays: 3 } } }),
    );
    expect(config.retention.rawMaxAgeMs).toBe(3 * DAY);
    expect(config.retention.aggregateMaxAgeMs).toBe(180 * DAY);
    expect(config.retention.schedule.frequency).toEqual({ hours: 1 });
    expect(config.errorSampleSize).toBe(50);
  });

  it('reads every setting from productOs', () => {
    expect(
      readProductOsConfig(
        new ConfigReader({
          productOs: {
            retention: {
              rawDays: 7,
              aggregateDays: 30,
              schedule: {
                frequency: { cron: '15 3 * * *' },
                timeout: { minutes: 30 },
                scope: 'global',
              },
            },
            errorSampleSize: 20,
            entityCacheSeconds: 15,
          },
        }),
      ),
    ).toEqual({
      retention: {
        rawMaxAgeMs: 7 * DAY,
        aggregateMaxAgeMs: 30 * DAY,
        schedule: {
          frequency: { cron: '15 3 * * *' },
          timeout: { minutes: 30 },
          initialDelay: undefined,
          scope: 'global',
        },
      },
      errorSampleSize: 20,
      entityCacheMs: 15_000,
    });
  });

  it('reads ISO durations in the schedule', () => {
    const config = readProductOsConfig(
      new ConfigReader({
        productOs: {
          retention: {
            schedule: {
              frequency: 'PT6H',
              timeout: 'PT5M',
              initialDelay: 'PT2M',
            },
          },
        },
      }),
    );
    expect(config.retention.schedule).toMatchObject({
      frequency: { hours: 6 },
      timeout: { minutes: 5 },
      initialDelay: { minutes: 2 },
    });
  });

  it('refuses values that would delete everything or keep nothing', () => {
    expect(() =>
      readProductOsConfig(
        new ConfigReader({ productOs: { retention: { rawDays: 0 } } }),
      ),
    ).toThrow(
      "Invalid config: 'productOs.retention.rawDays' must be a number above 0, got 0",
    );
    expect(() =>
      readProductOsConfig(
        new ConfigReader({ productOs: { retention: { aggregateDays: -1 } } }),
      ),
    ).toThrow("'productOs.retention.aggregateDays' must be a number above 0");
    expect(() =>
      readProductOsConfig(
        new ConfigReader({ productOs: { errorSampleSize: 0 } }),
      ),
    ).toThrow("'productOs.errorSampleSize' must be a number above 0");
    expect(() =>
      readProductOsConfig(
        new ConfigReader({ productOs: { entityCacheSeconds: 'soon' } }),
      ),
    ).toThrow(/entityCacheSeconds/);
  });

  it('keeps actions off and writes to github.com unless told otherwise', () => {
    expect(readAll(new ConfigReader({})).actions).toEqual({
      enabled: false,
      github: { host: 'github.com', baseUrl: undefined },
    });
    expect(
      readAll(
        new ConfigReader({
          productOs: {
            actions: {
              enabled: true,
              github: {
                host: 'ghe.acme.com',
                baseUrl: 'https://ghe.acme.com/api/v3',
              },
            },
          },
        }),
      ).actions,
    ).toEqual({
      enabled: true,
      github: { host: 'ghe.acme.com', baseUrl: 'https://ghe.acme.com/api/v3' },
    });
  });

  it('refuses a schedule without a timeout', () => {
    expect(() =>
      readProductOsConfig(
        new ConfigReader({
          productOs: { retention: { schedule: { frequency: { hours: 2 } } } },
        }),
      ),
    ).toThrow(/timeout/);
  });

  it("reads each source's allowed origins as browsers send them, and its body deadline", () => {
    const { sources } = readAll(
      new ConfigReader({
        productOs: {
          sources: {
            sentry: {
              allowedOrigins: [
                'https://Shop.Example.com',
                'https://a.example.com:443',
              ],
              bodyTimeoutSeconds: 2.5,
              projects: [],
            },
            posthog: { allowedOrigins: ['*'] },
            github: { webhookSecret: 'x' },
          },
        },
      }),
    );
    expect(sources).toEqual({
      sentry: {
        allowedOrigins: ['https://shop.example.com', 'https://a.example.com'],
        bodyTimeoutMs: 2500,
      },
      posthog: { allowedOrigins: ['*'], bodyTimeoutMs: 10_000 },
      github: { allowedOrigins: [], bodyTimeoutMs: 10_000 },
    });
  });

  it.each([
    'https://shop.example.com/',
    'https://shop.example.com/checkout',
    'shop.example.com',
    '*.example.com',
    'file:///tmp',
  ])('refuses %s as an allowed origin', origin => {
    expect(() =>
      readAll(
        new ConfigReader({
          productOs: { sources: { posthog: { allowedOrigins: [origin] } } },
        }),
      ),
    ).toThrow(
      `Invalid config: 'productOs.sources.posthog.allowedOrigins' entries must be origins`,
    );
  });

  it('refuses a body deadline of 0', () => {
    expect(() =>
      readAll(
        new ConfigReader({
          productOs: { sources: { sentry: { bodyTimeoutSeconds: 0 } } },
        }),
      ),
    ).toThrow(
      "Invalid config: 'productOs.sources.sentry.bodyTimeoutSeconds' must be a number above 0, got 0",
    );
  });

  it('leaves the ingest workers to the pool defaults, and reads what is set', () => {
    expect(readAll(new ConfigReader({})).ingestWorkers).toEqual({
      threads: undefined,
      maxQueued: undefined,
      inThreadBytes: undefined,
    });
    expect(
      readAll(
        new ConfigReader({
          productOs: {
            ingestWorkers: { threads: 2, maxQueued: 0, inThreadBytes: 4096 },
          },
        }),
      ).ingestWorkers,
    ).toEqual({ threads: 2, maxQueued: 0, inThreadBytes: 4096 });
    expect(() =>
      readAll(
        new ConfigReader({ productOs: { ingestWorkers: { threads: 0 } } }),
      ),
    ).toThrow("'productOs.ingestWorkers.threads' must be a number above 0");
    expect(() =>
      readAll(
        new ConfigReader({ productOs: { ingestWorkers: { maxQueued: -1 } } }),
      ),
    ).toThrow("'productOs.ingestWorkers.maxQueued' must be 0 or more");
  });
});
