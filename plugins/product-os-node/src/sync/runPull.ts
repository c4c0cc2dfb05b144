import type { LoggerService } from '@backstage/backend-plugin-api';
import type { SourceId } from '@internal/plugin-product-os-common';
import pLimit from 'p-limit';
import type { AnnotatedEntity } from '../entities';
import type { ProductOsPull } from '../pull';
import type { ProductOsSourceStore } from '../sourceStore';
import type { SyncState } from '../store';
import { groupByScope, syncScopeKey } from './scopes';

/** Scopes a pull serves per run when it does not say. @public */
export const DEFAULT_SCOPES_PER_RUN = 50;
/** Scopes pulled at the same time when a pull does not say. @public */
export const DEFAULT_PULL_CONCURRENCY = 4;

/** A stored error reason is cut here: vendors sometimes answer a whole HTML page. */
const MAX_ERROR_LENGTH = 2_000;

/** One run of one pull; see {@link runPull}. @public */
export interface RunPullOptions {
  /** The source's id, under which the sync state is kept. */
  source: SourceId;
  pull: ProductOsPull;
  /** The entities with any of the pull's annotations (others are ignored). */
  entities: AnnotatedEntity[];
  /** The host's ingest tail, handed to the pull, and where sync state is read and recorded. */
  store: ProductOsSourceStore;
  logger: LoggerService;
  /** Stops the run: no scope starts after it, and scopes in flight are recorded as cancelled. */
  signal?: AbortSignal;
  /** The clock, epoch ms (default `Date.now`). */
  now?: () => number;
  /**
   * Pull only these scopes, all of them and whatever their last pull ("sync now" of one
   * entity); `scopesPerRun` does not apply.
   */
  onlyScopes?: string[];
}

/** What became of one scope in a run. @public */
export interface ScopePullOutcome {
  scope: string;
  entityRefs: string[];
  outcome: 'succeeded' | 'failed' | 'cancelled';
  /** The cursor stored after the run (the previous one when the pull failed). */
  cursor?: string;
  items?: number;
  error?: string;
  startedAt: number;
  durationMs: number;
}

/** What one run of a pull did. @public */
export interface PullRunReport {
  pullId: string;
  /** Scopes the entities name. */
  scopes: number;
  /** The scopes this run pulled, in the order they finished. */
  pulled: ScopePullOutcome[];
  /** Scopes left for later runs (`scopesPerRun`, or not started because the run was stopped). */
  waiting: number;
  aborted: boolean;
}

/**
 * Runs one pull once: groups the entities by the pull's scope, picks at most `scopesPerRun`
 * scopes, least recently pulled first (never pulled before all others), and pulls them
 * `concurrency` at a time, each from its stored cursor. Every scope's outcome is recorded in the
 * sync state (`<pullId>:<scope>` under the source): a success stores the new cursor and the items
 * written, a failure stores the reason and keeps the cursor. One scope failing never stops the
 * others; the run resolves instead of throwing.
 *
 * @public
 */
export async function runPull(options: RunPullOptions): Promise<PullRunReport> {
  const { source, pull, store, logger } = options;
  const now = options.now ?? Date.now;
  const signal = options.signal ?? new AbortController().signal;
  const scopes = groupByScope(pull, options.entities);
  const wanted = options.onlyScopes && new Set(options.onlyScopes);

  const candidates: { scope: string; state?: SyncState; order: number }[] = [];
  for (const scope of scopes.keys()) {
    if (wanted && !wanted.has(scope)) continue;
    if (signal.aborted) break;
    const state = await store.getSyncState(
      source,
      syncScopeKey(pull.id, scope),
    );
    candidates.push({ scope, state, order: candidates.length });
  }
  const limitPerRun = wanted
    ? candidates.length
    : pull.scopesPerRun ?? DEFAULT_SCOPES_PER_RUN;
  const chosen = candidates
    .sort(
      (a, b) =>
        lastAttemptAt(a.state) - lastAttemptAt(b.state) || a.order - b.order,
    )
    .slice(0, limitPerRun);

  // Sync now of some scopes leaves nothing waiting; a scheduled run leaves the scopes it skipped.
  const eligible = () => (wanted ? candidates.length : scopes.size);
  const report: PullRunReport = {
    pullId: pull.id,
    scopes: scopes.size,
    pulled: [],
    waiting: eligible() - chosen.length,
    aborted: false,
  };

  async function pullScope(scope: string, state: SyncState | undefined) {
    const entities = scopes.get(scope)!;
    const startedAt = now();
    const scopeLogger = logger.child({ pull: pull.id, scope });
    const base = {
      scope,
      entityRefs: entities.map(e => e.entityRef),
      startedAt,
    };
    let outcome: ScopePullOutcome;
    try {
      const result = await untilAborted(
        pull.pull({
          scope,
          entities,
          cursor: state?.cursor,
          store,
          logger: scopeLogger,
          signal,
          now: startedAt,
        }),
        signal,
      );
      outcome = {
        ...base,
        outcome: 'succeeded',
        cursor: result.cursor ?? state?.cursor,
        items: result.items,
        durationMs: now() - startedAt,
      };
    } catch (error) {
      const cancelled = signal.aborted;
      outcome = {
        ...base,
        outcome: cancelled ? 'cancelled' : 'failed',
        cursor: state?.cursor,
        error: cancelled
          ? 'Cancelled before it finished (the run was stopped or timed out)'
          : errorMessage(error),
        durationMs: now() - startedAt,
      };
    }
    await record(outcome, scopeLogger);
    return outcome;
  }

  async function record(outcome: ScopePullOutcome, scopeLogger: LoggerService) {
    const scope = syncScopeKey(pull.id, outcome.scope);
    const at = outcome.startedAt + outcome.durationMs;
    try {
      await store.saveSyncState(
        outcome.outcome === 'succeeded'
          ? {
              source,
              scope,
              at,
              cursor: outcome.cursor,
              items: outcome.items,
              durationMs: outcome.durationMs,
            }
          : {
              source,
              scope,
              at,
              error: outcome.error!,
              durationMs: outcome.durationMs,
            },
      );
    } catch (error) {
      // What was written stays written; the scope is pulled again from its old cursor next time.
      scopeLogger.warn('Could not record the sync state', {
        error: errorMessage(error),
      });
    }
    if (outcome.outcome === 'succeeded')
      scopeLogger.debug('Pulled', {
        items: outcome.items,
        durationMs: outcome.durationMs,
      });
    else
      scopeLogger.warn('Pull failed', {
        error: outcome.error,
        durationMs: outcome.durationMs,
      });
  }

  const limit = pLimit(pull.concurrency ?? DEFAULT_PULL_CONCURRENCY);
  const inFlight = new Set<Promise<ScopePullOutcome>>();
  const all = Promise.all(
    chosen.map(({ scope, state }) =>
      limit(async () => {
        if (signal.aborted) return;
        const running = pullScope(scope, state);
        inFlight.add(running);
        try {
          report.pulled.push(await running);
        } finally {
          inFlight.delete(running);
        }
      }),
    ),
  );
  const stopped = new Promise<void>(resolve => {
    if (signal.aborted) resolve();
    signal.addEventListener('abort', () => resolve(), { once: true });
  });
  await Promise.race([all, stopped]);
  if (signal.aborted) {
    // Scopes still queued never start; those in flight settle at once as cancelled.
    limit.clearQueue();
    await Promise.all([...inFlight].map(p => p.catch(() => undefined)));
    report.aborted = true;
    report.waiting = eligible() - report.pulled.length;
  }
  return report;
}

/** When a scope was last tried, successfully or not; never tried sorts first. */
function lastAttemptAt(state: SyncState | undefined): number {
  if (!state) return -Infinity;
  return Math.max(
    state.lastSuccessAt ?? -Infinity,
    state.lastErrorAt ?? -Infinity,
  );
}

/** The pull's promise, or a rejection as soon as the signal aborts (a pull may ignore it). */
function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    if (signal.aborted) onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      value => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      error => {
        signal.removeEventListener('abort', onAbort);
        reject(error);
      },
    );
  });
}

function errorMessage(error: unknown): string {
  const message =
    error instanceof Error ? error.message || error.name : String(error);
  return message.length > MAX_ERROR_LENGTH
    ? `${message.slice(0, MAX_ERROR_LENGTH)}…`
    : message;
}
