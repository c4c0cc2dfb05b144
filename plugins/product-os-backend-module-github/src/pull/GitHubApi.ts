import type { Config } from '@backstage/config';
import {
  DefaultGithubCredentialsProvider,
  GithubCredentialsProvider,
  GithubIntegration,
  ScmIntegrations,
} from '@backstage/integration';
import type { LoggerService } from '@backstage/backend-plugin-api';
import { retry } from '@octokit/plugin-retry';
import Bottleneck from 'bottleneck';
import { throttling } from '@octokit/plugin-throttling';
import { Octokit } from '@octokit/rest';
import { RateBudget } from './RateBudget';

/** How Octokit's request log names a 304: `GET /repos/… - 304 with id … in 150ms`. */
const NOT_MODIFIED_LOG = / - 304 with id /;

/** Octokit with GitHub's rate-limit handling: waits out primary and secondary limits, retries 5xx. */
const ThrottledOctokit: typeof Octokit = Octokit.plugin(throttling, retry);

/** The client of one repository, and the budget of the credentials it uses. */
export interface RepositoryClient {
  octokit: Octokit;
  /** The budget of the credentials, shared with every other client that uses them. */
  budget: RateBudget;
  /** REST requests of this client that counted against the budget (all but 304s). */
  counted: number;
  /** GraphQL points this client spent (each query's `rateLimit { cost }`). */
  points: number;
  /** Told of every REST answer (the pull gives back the request it had claimed). */
  onAnswer?(): void;
  /**
   * A GraphQL query of this repository, through the same octokit (credentials, throttling,
   * retries): `<api base>/graphql`, or `https://HOST/api/graphql` for an Enterprise host whose
   * API base ends in `/api/v3`. The query must select `rateLimit { cost }`, which is counted.
   */
  graphql<T extends GraphqlAnswer>(
    query: string,
    variables: Record<string, unknown>,
  ): Promise<T>;
  /** `https://github.com/acme/shop` (or the Enterprise host's), for links. */
  htmlBase: string;
}

/** What every query of the pull selects besides its own fields: what it cost. */
export interface GraphqlAnswer {
  rateLimit?: { cost: number; remaining: number; resetAt: string } | null;
}

/** The route octokit sends GraphQL queries to (it moves a GHE `/api/v3` base to `/api/graphql`). */
const GRAPHQL_ROUTE = '/graphql';

/**
 * Least time between two GraphQL queries of one host. The throttling plugin spaces every GraphQL
 * request as it spaces REST writes, a second apart, which would make a back-fill run of 500
 * repositories (two queries each) outlast its 14 minutes; GitHub's secondary limit for queries
 * is 2,000 a minute, and 10 a second stays far under it.
 */
const GRAPHQL_SPACING_MS = 100;

/** How long the octokit plugins wait; tests shrink the seconds they are given to milliseconds. */
export interface GitHubApiTiming {
  /** Milliseconds per second of `Retry-After` or of the time to a reset. Default 1000. */
  retryAfterBaseValue?: number;
  /** Times a request is retried after a rate limit or a 5xx. Default 3. */
  retries?: number;
}

export interface GitHubApiOptions {
  integration: GithubIntegration;
  credentials: GithubCredentialsProvider;
  logger: LoggerService;
  timing?: GitHubApiTiming;
  /** The fetch Octokit sends with (tests pass one that reaches their local server). */
  fetch?: typeof globalThis.fetch;
}

/**
 * Clients of GitHub's API for one host, with the credentials of its Backstage integration
 * (`integrations.github`: a token, or a GitHub App whose installation covers the repository).
 * Rate limits are the octokit plugins' job: a primary limit waits for its reset, a secondary one
 * for its `Retry-After`, a 5xx is retried with backoff. What the pull itself does about the budget
 * is pacing (see {@link RateBudget}): it stops spending before the plugins would have to wait.
 */
export class GitHubApi {
  private readonly budgets = new Map<string, RateBudget>();
  /** The spacing of this host's GraphQL queries, shared by every repository's client. */
  private readonly graphqlSpacing = new Bottleneck.Group({
    maxConcurrent: 1,
    minTime: GRAPHQL_SPACING_MS,
  });

  /** The API of the integration that has credentials, or undefined when none has. */
  static fromConfig(
    config: Config,
    options: Omit<GitHubApiOptions, 'integration' | 'credentials'> & {
      host?: string;
    },
  ): GitHubApi | undefined {
    const integrations = ScmIntegrations.fromConfig(config);
    const integration = options.host
      ? integrations.github.byHost(options.host)
      : integrations.github.list().find(hasCredentials);
    if (!integration || !hasCredentials(integration)) return undefined;
    return new GitHubApi({
      ...options,
      integration,
      credentials:
        DefaultGithubCredentialsProvider.fromIntegrations(integrations),
    });
  }

  constructor(private readonly options: GitHubApiOptions) {}

  get host(): string {
    return this.options.integration.config.host;
  }

  async forRepository(owner: string, repo: string): Promise<RepositoryClient> {
    const { integration, credentials, logger, timing } = this.options;
    const htmlBase = `https://${integration.config.host}/${owner}/${repo}`;
    const { token, type } = await credentials.getCredentials({
      url: htmlBase,
    });
    if (!token) {
      throw new Error(
        `The GitHub integration for ${integration.config.host} has no token or app installation for ${owner}/${repo}`,
      );
    }
    // An app's installation has a budget of its own per organisation; a token has one.
    const budgetKey = type === 'app' ? owner.toLowerCase() : '';
    let budget = this.budgets.get(budgetKey);
    if (!budget) {
      budget = new RateBudget();
      this.budgets.set(budgetKey, budget);
    }
    const octokit = new ThrottledOctokit({
      auth: token,
      baseUrl:
        integration.config.apiBaseUrl ??
        `https://api.${integration.config.host}`,
      userAgent: 'backstage-product-os',
      request: this.options.fetch ? { fetch: this.options.fetch } : undefined,
      log: {
        debug: () => {},
        info: () => {},
        warn: message => logger.warn(message),
        // Octokit logs every answer of 400 and above, and a 304 with them; a 304 is the point of
        // a conditional request, and other failures reach the pull, which reports them.
        error: message =>
          NOT_MODIFIED_LOG.test(message)
            ? logger.debug(message)
            : logger.error(message),
      },
      retry: {
        retries: timing?.retries ?? 3,
        retryAfterBaseValue: timing?.retryAfterBaseValue ?? 1000,
      },
      throttle: {
        retryAfterBaseValue: timing?.retryAfterBaseValue ?? 1000,
        // The plugin's limiter of writes, which it also applies to GraphQL; the pull writes
        // nothing through REST, so it spaces only the queries.
        write: this.graphqlSpacing,
        onRateLimit: (
          retryAfter: number,
          request: { method: string; url: string },
          _octokit: unknown,
          retryCount: number,
        ) => {
          logger.warn('GitHub rate limit reached', {
            request: `${request.method} ${request.url}`,
            retryAfter,
            retryCount,
          });
          return retryCount < (timing?.retries ?? 3);
        },
        onSecondaryRateLimit: (
          retryAfter: number,
          request: { method: string; url: string },
          _octokit: unknown,
          retryCount: number,
        ) => {
          logger.warn('GitHub secondary rate limit reached', {
            request: `${request.method} ${request.url}`,
            retryAfter,
            retryCount,
          });
          return retryCount < (timing?.retries ?? 3);
        },
      },
    });
    const client: RepositoryClient = {
      octokit,
      budget,
      counted: 0,
      points: 0,
      htmlBase,
      graphql: async <T extends GraphqlAnswer>(
        query: string,
        variables: Record<string, unknown>,
      ) => {
        let data: T;
        try {
          data = await octokit.graphql<T>(query, variables);
        } catch (error) {
          // GitHub answers a query with some fields it could not resolve (a pull request or
          // node since deleted) with the rest of the data and `errors`; those fields are null.
          // (octokit's GraphqlResponseError, told by name: its class is octokit's own copy.)
          const partial = error as { name?: string; data?: T };
          if (partial.name !== 'GraphqlResponseError' || !partial.data)
            throw error;
          data = partial.data;
        }
        const cost = data.rateLimit?.cost ?? 1;
        client.points += cost;
        budget!.points += cost;
        return data;
      },
    };
    const observe = (
      response: { status: number; headers?: object },
      route: string | undefined,
    ) => {
      const graphql = route === GRAPHQL_ROUTE;
      client.budget.observe({
        status: response.status,
        headers: {
          // Every answer of GitHub says which budget it counted against; a GraphQL one's is.
          'x-ratelimit-resource': graphql ? 'graphql' : 'core',
          ...(response.headers as Record<string, string>),
        },
      });
      if (graphql) return;
      if (response.status !== 304) client.counted += 1;
      client.onAnswer?.();
    };
    octokit.hook.after('request', (response, options) =>
      observe(response, options.url),
    );
    octokit.hook.error('request', (error, options) => {
      const response = (error as { response?: { status: number } }).response;
      if (response) observe(response, options.url);
      throw error;
    });
    return client;
  }
}

function hasCredentials(integration: GithubIntegration): boolean {
  const { token, apps } = integration.config;
  return Boolean(token) || Boolean(apps?.length);
}
