import type {
  ChangeEventInput,
  PullRequest,
  PullResult,
} from '@internal/plugin-product-os-node';
import { errorEventsFor, recordsFor } from '@internal/plugin-product-os-node';
import type { SentryErrorEvent } from '../events/toErrorEvent';
import { applyIssueUpdate } from '../webhooks/applyIssueUpdate';
import type { ApiEvent, ApiIssue, ApiIssueDetails } from './apiTypes';
import { issueHours } from './issueHours';
import { mapApiEvent } from './mapApiEvent';
import { mapApiIssue } from './mapApiIssue';
import { formatCursor, MAX_SAMPLED_ISSUES, parseCursor } from './pullCursor';
import type { SentryPullConfig } from './pullConfig';
import { pullReleases } from './pullReleases';
import { SentryApi } from './SentryApi';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** What a test or the benchmark changes about how a project is pulled. */
export interface SentryPullDeps {
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  /** The wall clock, epoch ms, that `X-Sentry-Rate-Limit-Reset` is read against (default `Date.now`). */
  now?: () => number;
  /** Told how many requests the pull made. */
  onRequests?(count: number): void;
}

/**
 * Pulls one Sentry project (scope `org/slug`) into the entities that name it: its issues seen
 * since the last pull (the last `backfillDays` on the first) as error groups, with their hourly
 * counts, the latest event of the busiest ones as a sample, and its releases with their commits
 * and deploys. Every page is written in a transaction of its own through the host's store, keyed
 * as the webhooks key the same items, so a pull repeated or interrupted writes each row once; a
 * failure leaves the cursor where it was and nothing stored is lowered or removed.
 */
export async function pullSentryProject(
  request: PullRequest,
  config: SentryPullConfig,
  deps: SentryPullDeps = {},
): Promise<PullResult> {
  const slash = request.scope.lastIndexOf('/');
  const organization = request.scope.slice(0, slash);
  const slug = request.scope.slice(slash + 1);
  const org = encodeURIComponent(organization);
  const entityRefs = request.entities.map(entity => entity.entityRef);
  const { now, store } = request;
  const previous = parseCursor(request.cursor);
  // An hour of overlap: events Sentry received late land in an hour already pulled.
  const from = hourOf(
    previous ? previous.since - HOUR_MS : now - config.backfillDays * DAY_MS,
  );
  const api = new SentryApi({
    baseUrl: config.baseUrl,
    token: config.token,
    requestTimeoutMs: config.requestTimeoutMs,
    signal: request.signal,
    sleep: deps.sleep,
    // Sentry's reset header is wall-clock time, whatever clock the run itself is on.
    now: deps.now,
    fetch: deps.fetch,
  });

  let items = 0;
  let releaseLookups = config.releaseLookupsPerPull;
  let samples = config.samplesPerPull;
  const sampledBefore = new Set(previous?.sampled ?? []);
  const sampledNow: string[] = [];
  try {
    for await (const issues of api.pages<ApiIssue>(
      `/organizations/${org}/issues/`,
      {
        project: [slug],
        query: '',
        sort: 'date',
        limit: 100,
        start: new Date(from).toISOString(),
        end: new Date(now).toISOString(),
        groupStatsPeriod: '24h',
      },
    )) {
      const hours = await issueHours(api, organization, issues, {
        from,
        to: now,
      });
      const updates: Array<ReturnType<typeof mapApiIssue>> = [];
      for (const issue of issues) {
        let firstRelease: string | undefined;
        const update = mapApiIssue(issue);
        // Only an issue new in the window is worth a request for the release it came with.
        if ((update.firstSeen ?? 0) >= from && releaseLookups > 0) {
          releaseLookups -= 1;
          const details = await api.get<ApiIssueDetails>(
            `/organizations/${org}/issues/${encodeURIComponent(issue.id)}/`,
            { collapse: ['stats', 'tags'] },
          );
          firstRelease = details.firstRelease?.version;
        }
        updates.push({ ...update, firstRelease });
      }
      // The latest events of the page's busiest issues not sampled before, for their stack
      // frames (the first pages hold the issues seen last).
      const sampled = busiest(
        issues.filter(issue => !sampledBefore.has(issue.id)),
        samples,
      );
      samples -= sampled.length;
      for (const issue of sampled) sampledNow.push(issue.id);
      const events: SentryErrorEvent[] = [];
      for (const issue of sampled) {
        const event = await api.get<ApiEvent>(
          `/organizations/${org}/issues/${encodeURIComponent(
            issue.id,
          )}/events/latest/`,
        );
        events.push(
          mapApiEvent(
            event,
            {
              id: issue.id,
              projectId: issue.project.id,
              permalink: issue.permalink,
            },
            now,
          ),
        );
      }
      await store.ingest({ source: 'sentry' }, async writer => {
        for (const update of updates) {
          // The issue's status stands as of its last event, so a repeated pull writes the same.
          await applyIssueUpdate(
            writer,
            entityRefs,
            update,
            update.lastSeen ?? now,
          );
        }
        // Before the counts, so that a group's total is Sentry's, not Sentry's and the sample.
        await writer.recordErrorEvents(errorEventsFor(entityRefs, events));
        await writer.recordErrorCounts(
          updates.flatMap(update =>
            entityRefs.map(entityRef => ({
              entityRef,
              source: 'sentry' as const,
              fingerprint: update.fingerprint,
              hours: hours.get(update.issueId) ?? [],
              total: update.total,
              lastSeen: update.lastSeen,
            })),
          ),
        );
      });
      items += issues.length;
    }

    const releases = await pullReleases(
      api,
      { organization, slug },
      previous?.releasesSince ?? from,
      from,
    );
    if (releases.changes.length > 0) {
      await store.ingest({ source: 'sentry' }, writer =>
        writer.upsertChangeEvents(
          recordsFor<ChangeEventInput>(entityRefs, releases.changes),
        ),
      );
      items += releases.changes.length;
    }
    return {
      cursor: formatCursor({
        since: now,
        releasesSince:
          releases.newest !== undefined
            ? releases.newest + 1
            : previous?.releasesSince ?? from,
        sampled: [...sampledNow, ...(previous?.sampled ?? [])].slice(
          0,
          MAX_SAMPLED_ISSUES,
        ),
      }),
      items,
    };
  } finally {
    deps.onRequests?.(api.requests);
  }
}

/** The `limit` issues with the most events in the window, most first. */
function busiest(issues: ApiIssue[], limit: number): ApiIssue[] {
  if (limit <= 0) return [];
  return [...issues]
    .sort((a, b) => Number(b.count) - Number(a.count))
    .slice(0, limit);
}

function hourOf(ms: number): number {
  return Math.floor(ms / HOUR_MS) * HOUR_MS;
}
