import { POSTHOG_PROJECT_ID_ANNOTATION } from '@internal/plugin-product-os-common';
import {
  type ErrorEventInput,
  errorEventsFor,
  forEachSlice,
  type ProductOsPull,
  type PullRequest,
  yieldToEventLoop,
} from '@internal/plugin-product-os-node';
import type { CapturedEvent } from '../capture/normalizeEvents';
import { isObject } from '../capture/parseCaptureRequest';
import { userKeyOf } from '../capture/userKey';
import { mapException } from '../exceptions/mapException';
import { ExceptionsCursor, readExceptionsCursor } from './cursors';
import { exceptionsQuery } from './hogql';
import type { PostHogQueryClient } from './PostHogQueryClient';
import { projectIdOf, userKeySaltOf } from './projects';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Events re-read on every run once caught up, for those that reached PostHog late. */
export const LATE_EXCEPTIONS_MS = 2 * HOUR_MS;

/** Pages per run: a project with a long history is back-filled over several runs. */
export const EXCEPTION_PAGES_PER_RUN = 20;

/** Error events per write, as the capture path writes them. */
const EXCEPTIONS_PER_WRITE = 100;

export interface ExceptionsPullOptions {
  client: PostHogQueryClient;
  backfillDays: number;
  /** Default {@link EXCEPTION_PAGES_PER_RUN}. */
  pagesPerRun?: number;
  /** Default 500 (`EXCEPTIONS_PER_PAGE`). */
  exceptionsPerPage?: number;
}

/**
 * The exceptions pull: `$exception` events of each project the entities name (PostHog error
 * tracking), mapped exactly as the capture endpoints map them (`mapException`: the same
 * fingerprint, title and frames) with PostHog's event uuid as the event id. An exception that
 * was also sent to the capture endpoints is therefore one event, whichever way it came first.
 * A project without error tracking has no such events, and the pull writes nothing.
 *
 * Pages are read oldest first, at most {@link EXCEPTION_PAGES_PER_RUN} a run, so a long history
 * is back-filled over several runs with bounded memory; the cursor is where the last page ended.
 */
export function createExceptionsPull(
  options: ExceptionsPullOptions,
): ProductOsPull {
  return {
    id: 'exceptions',
    annotations: [POSTHOG_PROJECT_ID_ANNOTATION],
    scopeOf: projectIdOf,
    schedule: {
      frequency: { minutes: 15 },
      timeout: { minutes: 10 },
      initialDelay: { minutes: 1 },
    },
    scopesPerRun: 5_000,
    concurrency: 2,
    pull: request => pullExceptions(options, request),
  };
}

async function pullExceptions(
  options: ExceptionsPullOptions,
  request: PullRequest,
): Promise<{ cursor: string; items: number }> {
  const { scope: projectId, entities, signal } = request;
  const previous = readExceptionsCursor(request.cursor);
  // Whole seconds, as the query compares them: the next window starts where this one ends.
  const to = Math.floor(request.now / 1000) * 1000;
  const earliest = to - options.backfillDays * DAY_MS;
  let from = earliest;
  if (previous)
    from = previous.caughtUp
      ? previous.after - LATE_EXCEPTIONS_MS
      : previous.after;
  from = Math.max(earliest, Math.min(from, to));

  const entityRefs = entities.map(entity => entity.entityRef);
  const salt = userKeySaltOf(projectId, entities);
  let stored = 0;
  let lastSeen = from;
  const pages = options.pagesPerRun ?? EXCEPTION_PAGES_PER_RUN;
  for (let page = 0, offset = 0; page < pages; page++) {
    const answer = await options.client.query(
      projectId,
      exceptionsQuery({ from, to }, offset, options.exceptionsPerPage),
      signal,
    );
    const events = answer.results.flatMap(row => {
      const event = capturedEventOf(row);
      return event ? [event] : [];
    });
    const mapped = events.map(event =>
      mapException(
        event,
        event.distinctId && !event.personless
          ? userKeyOf(salt, event.distinctId)
          : undefined,
      ),
    );
    // Each entity's copies, with the event ids the capture path gives them.
    stored += await writeErrorEvents(
      request,
      errorEventsFor(entityRefs, mapped),
    );
    for (const event of events) lastSeen = Math.max(lastSeen, event.timestamp);
    if (!answer.hasMore || answer.results.length === 0) {
      const cursor: ExceptionsCursor = { after: to, caughtUp: true };
      return { cursor: JSON.stringify(cursor), items: stored };
    }
    offset += answer.results.length;
    signal.throwIfAborted();
  }
  // More history than a run reads: the next run goes on from the last event read (its second
  // read again; their ids are skipped).
  const cursor: ExceptionsCursor = {
    after: Math.max(
      previous?.after ?? from,
      Math.floor(lastSeen / 1000) * 1000,
    ),
    caughtUp: false,
  };
  return { cursor: JSON.stringify(cursor), items: stored };
}

/** Writes error events a slice per transaction; returns how many were new. */
async function writeErrorEvents(
  request: PullRequest,
  events: ErrorEventInput[],
): Promise<number> {
  let stored = 0;
  await forEachSlice(events, EXCEPTIONS_PER_WRITE, async slice => {
    await yieldToEventLoop();
    const { result } = await request.store.ingest(
      { source: 'posthog' },
      writer => writer.recordErrorEvents(slice),
    );
    stored += result?.stored ?? 0;
  });
  return stored;
}

/** A row `[uuid, ts, distinct_id, properties]` as the capture path's event. */
function capturedEventOf(row: unknown[]): CapturedEvent | undefined {
  const [uuid, ts, distinctId, rawProperties] = row;
  const timestamp = typeof ts === 'number' ? ts : Number(ts);
  if (typeof uuid !== 'string' || !uuid || !Number.isSafeInteger(timestamp))
    return undefined;
  const properties = propertiesOf(rawProperties);
  return {
    name: '$exception',
    distinctId:
      typeof distinctId === 'string' && distinctId ? distinctId : undefined,
    personless: properties.$process_person_profile === false,
    timestamp,
    uuid,
    properties,
  };
}

/** HogQL returns `properties` as the JSON text of the event's properties. */
function propertiesOf(value: unknown): Record<string, unknown> {
  if (isObject(value)) return value;
  if (typeof value !== 'string') return {};
  try {
    const parsed = JSON.parse(value);
    return isObject(parsed) ? parsed : {};
  } catch {
    return {};
  }
}
