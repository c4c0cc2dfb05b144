import { ConfigReader } from '@backstage/config';
import { readGitHubSourceConfig } from './config';

describe('readGitHubSourceConfig', () => {
  it('defaults to 2 MiB bodies, which a JSON.parse reads in milliseconds, and 600 deliveries per repository a minute', () => {
    expect(readGitHubSourceConfig(new ConfigReader({}))).toEqual({
      webhookSecret: undefined,
      rateLimitPerMinute: 600,
      bodyLimits: { limit: 2097152, decompressedLimit: 2097152 },
    });
  });

  it('reads every setting', () => {
    const config = new ConfigReader({
      productOs: {
        sources: {
          github: {
            webhookSecret: 's3cret',
            rateLimitPerMinute: 60,
            bodyLimits: { compressedBytes: 1000, decompressedBytes: 5000 },
          },
        },
      },
    });
    expect(readGitHubSourceConfig(config)).toEqual({
      webhookSecret: 's3cret',
      rateLimitPerMinute: 60,
      bodyLimits: { limit: 1000, decompressedLimit: 5000 },
    });
  });
});
