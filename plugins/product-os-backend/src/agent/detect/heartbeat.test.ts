import type { ChangeEvent } from '@internal/plugin-product-os-common';
import { readAgentConfig } from '../../config';
import type { MetricPointRecord } from '../../database/metrics/MetricStore';
import { DAY_MS, HOUR_MS } from '../../time';
import { detectHeartbeatDrops } from './detectHeartbeatDrops';

const config = readAgentConfig();
const MINUTE = 60_000;
const METRIC = 'checkout_completed';
// A deployment finishing at 14:05 UTC on Monday 9 November 2026: its first hour is 14:00–15:00.
const HOUR = Date.parse('2026-11-09T14:00:00Z');
const NOW = HOUR + HOUR_MS + 10 * MINUTE;

/**
 * Nine days of a metric at 200 an hour by day and 80 by night, exactly, with `override`
 * replacing the hours it names; hours from `until` on have not arrived.
 */
function series(
  override: Record<number, number> = {},
  until = HOUR + HOUR_MS,
): MetricPointRecord[] {
  const points: MetricPointRecord[] = [];
  for (let t = HOUR - 9 * DAY_MS; t < until; t += HOUR_MS) {
    const hourOfDay = new Date(t).getUTCHours();
    const usual = hourOfDay >= 8 && hourOfDay < 20 ? 200 : 80;
    // A little day-to-day noise so that the baseline has a spread, as real counts do.
    const noise = ((Math.floor(t / DAY_MS) % 3) - 1) * 6;
    const count = override[t] ?? usual + noise;
    points.push({ metric: METRIC, bucketStart: t, count, users: count });
  }
  return points;
}

function deployment(
  startedAt: number,
  finishedAt: number,
  extra: Partial<ChangeEvent> = {},
): ChangeEvent {
  return {
    id: 42,
    entityRef: 'component:default/storefront',
    source: 'github',
    externalId: 'deployment:42',
    kind: 'deployment',
    title: 'Deploy storefront',
    sha: 'a1b2c3d4e5f6a7b8',
    environment: 'production',
    status: 'success',
    occurredAt: new Date(startedAt).toISOString(),
    finishedAt: new Date(finishedAt).toISOString(),
    files: [],
    ...extra,
  } as ChangeEvent;
}

function detect(
  points: MetricPointRecord[],
  deployments: ChangeEvent[],
  now = NOW,
) {
  return detectHeartbeatDrops({
    points,
    metrics: [METRIC],
    deployments,
    now,
    config,
  });
}

describe('heartbeat: a key metric falling in the first hour after a deployment', () => {
  const deploy = deployment(HOUR - 5 * MINUTE, HOUR + 5 * MINUTE);

  it('is a signal after one hour, with the deployment and the hours it may have begun in', () => {
    const signals = detect(series({ [HOUR]: 90 }), [deploy]);
    expect(signals).toHaveLength(1);
    const [signal] = signals;
    expect(signal).toMatchObject({
      kind: 'metric_drop',
      // From the hour the deployment began (13:00), the last normal one before it, to 15:00.
      onsetAt: HOUR - HOUR_MS,
      onsetUncertaintyMs: 2 * HOUR_MS,
      metric: { key: METRIC, observed: 90 },
      afterDeployment: {
        changeId: 42,
        sha: 'a1b2c3d',
        liveUntil: HOUR + 5 * MINUTE,
      },
    });
    // The same hour on previous days, scaled to the day: 200 give or take the noise.
    expect(signal.metric!.expected).toBeGreaterThan(190);
    expect(signal.metric!.expected).toBeLessThan(210);
    expect(signal.magnitude).toBeCloseTo(90 / signal.metric!.expected - 1, 5);
    expect(signal.description).toBe(
      `${METRIC} fell ${Math.round(
        -signal.magnitude * 100,
      )}% in the first hour after deployment a1b2c3d went live at 14:05 UTC (90 events, usually ${Math.round(
        signal.metric!.expected,
      )})`,
    );
  });

  it('is not one when the metric was already down before the deployment began', () => {
    expect(
      detect(series({ [HOUR - 2 * HOUR_MS]: 90, [HOUR]: 90 }), [deploy]),
    ).toEqual([]);
  });

  it('is not one for a dip inside the metric drop thresholds', () => {
    // 20 % down: the drop needs 30 %.
    expect(detect(series({ [HOUR]: 160 }), [deploy])).toEqual([]);
  });

  it('waits for the hour to be complete and its counts to arrive', () => {
    // 14:40: the first hour after the deployment is not over.
    expect(
      detect(series({ [HOUR]: 90 }), [deploy], HOUR + 40 * MINUTE),
    ).toEqual([]);
    // 15:10, but PostHog has sent nothing since 14:00: a missing hour is not a drop to zero.
    expect(detect(series({}, HOUR), [deploy])).toEqual([]);
  });

  it('judges the next hour when the deployment finished late in its hour', () => {
    const late = deployment(HOUR + 30 * MINUTE, HOUR + 40 * MINUTE);
    // 14:00–15:00 ran the old version for most of its minutes: it does not count.
    expect(
      detect(series({ [HOUR]: 90 }, HOUR + 2 * HOUR_MS), [late], NOW + HOUR_MS),
    ).toEqual([]);
    const signals = detect(
      series({ [HOUR + HOUR_MS]: 90 }, HOUR + 2 * HOUR_MS),
      [late],
      NOW + HOUR_MS,
    );
    expect(signals).toHaveLength(1);
    expect(signals[0]).toMatchObject({
      onsetAt: HOUR,
      onsetUncertaintyMs: 2 * HOUR_MS,
    });
  });

  it('ignores failed deployments, other environments and deployments out of the window', () => {
    const points = series({ [HOUR]: 90 });
    expect(
      detect(points, [
        deployment(HOUR - 5 * MINUTE, HOUR + 5 * MINUTE, { status: 'failure' }),
        deployment(HOUR - 5 * MINUTE, HOUR + 5 * MINUTE, {
          environment: 'staging',
        }),
      ]),
    ).toEqual([]);
    // Judged at 18:10, the deployment of 14:05 is four hours old: the metric drop's own rule
    // (two hours) has had time to speak.
    expect(detect(points, [deploy], NOW + 3 * HOUR_MS)).toEqual([]);
  });

  it('names the first of two deployments whose hour fell, the drop having begun after it', () => {
    const second = deployment(HOUR + HOUR_MS - 5 * MINUTE, HOUR + HOUR_MS, {
      id: 43,
      sha: 'ffeeddccbbaa',
    });
    const signals = detect(
      series({ [HOUR]: 90, [HOUR + HOUR_MS]: 90 }, HOUR + 2 * HOUR_MS),
      [second, deploy],
      NOW + HOUR_MS,
    );
    expect(signals.map(s => s.afterDeployment?.changeId)).toEqual([42]);
  });
});
