import { ConfigReader } from '@backstage/config';
import { readGitHubSourceConfig } from './config';

describe('readGitHubSourceConfig', () => {
  it("defaults to GitHub's 25 MB payload cap and 600 deliveries per repository a minute", () => {
    expect(readGitHubSourceConfig(new ConfigReader({}))).toEqual({
      webhookSecret: undefined,
      rateLimitPerMinute: 600,
      bodyLimits: { limit: 26214400, decompressedLimit: 26214400 },
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
