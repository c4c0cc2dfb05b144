import type { Config } from '@backstage/config';
import { CustomErrorBase } from '@backstage/errors';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  ScmIntegrations,
} from '@backstage/integration';
import { Octokit } from '@octokit/rest';
import type { Repository } from './renderActionPreview';

/** What GitHub answered with when a write failed; the router answers 502 with the reason. */
export class GithubWriteError extends CustomErrorBase {
  name = 'GithubWriteError' as const;
  /** Bad Gateway: GitHub's own status (say 401) must not read as the caller's. */
  statusCode = 502;
  constructor(message: string, readonly githubStatus?: number, cause?: Error) {
    super(message, cause);
  }
}

/** The two writes Product OS makes to GitHub. */
export interface GithubWriter {
  createIssue(
    repository: Repository,
    title: string,
    body: string,
  ): Promise<{ url: string }>;
  commentOnPullRequest(
    repository: Repository,
    pullNumber: number,
    body: string,
  ): Promise<{ url: string }>;
}

/**
 * Writes with `@octokit/rest` using the credentials of the GitHub integration
 * (`integrations.github`: a token or a GitHub App) for the configured host.
 */
export class OctokitGithubWriter implements GithubWriter {
  static fromConfig(
    config: Config,
    options: { host: string; baseUrl?: string },
  ): OctokitGithubWriter {
    const integrations = ScmIntegrations.fromConfig(config);
    const integration = integrations.github.byHost(options.host);
    return new OctokitGithubWriter({
      host: options.host,
      baseUrl:
        options.baseUrl ??
        integration?.config.apiBaseUrl ??
        'https://api.github.com',
      hasIntegration: Boolean(integration),
      credentials:
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    });
  }

  private constructor(
    private readonly options: {
      host: string;
      baseUrl: string;
      hasIntegration: boolean;
      credentials: GithubCredentialsProvider;
    },
  ) {}

  private async client(repository: Repository): Promise<Octokit> {
    const { host, baseUrl, hasIntegration, credentials } = this.options;
    if (!hasIntegration) {
      throw new GithubWriteError(
        `No GitHub integration for ${host} is configured under integrations.github`,
      );
    }
    const { token } = await credentials.getCredentials({
      url: `https://${host}/${repository.owner}/${repository.repo}`,
    });
    if (!token) {
      throw new GithubWriteError(
        `The GitHub integration for ${host} has no token or app that can write to ${repository.owner}/${repository.repo}`,
      );
    }
    return new Octokit({
      auth: token,
      baseUrl,
      userAgent: 'backstage-product-os',
    });
  }

  private async write<T>(what: string, request: () => Promise<T>): Promise<T> {
    try {
      return await request();
    } catch (error) {
      if (error instanceof GithubWriteError) throw error;
      const status = (error as { status?: unknown }).status;
      const message = (error as Error).message ?? String(error);
      throw new GithubWriteError(
        `GitHub did not ${what}: ${
          typeof status === 'number' ? `${status} ` : ''
        }${message}`,
        typeof status === 'number' ? status : undefined,
        error as Error,
      );
    }
  }

  async createIssue(repository: Repository, title: string, body: string) {
    return this.write(
      `create the issue in ${repository.owner}/${repository.repo}`,
      async () => {
        const octokit = await this.client(repository);
        const { data } = await octokit.rest.issues.create({
          ...repository,
          title,
          body,
        });
        return { url: data.html_url };
      },
    );
  }

  async commentOnPullRequest(
    repository: Repository,
    pullNumber: number,
    body: string,
  ) {
    const where = `${repository.owner}/${repository.repo}#${pullNumber}`;
    return this.write(`comment on ${where}`, async () => {
      const octokit = await this.client(repository);
      // Pull request conversation comments are issue comments in GitHub's API.
      const { data } = await octokit.rest.issues.createComment({
        ...repository,
        issue_number: pullNumber,
        body,
      });
      return { url: data.html_url };
    });
  }
}
