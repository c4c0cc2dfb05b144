/**
 * Where the pull of one repository left off, kept as the scope's cursor (JSON). It holds one
 * ETag per list, so that an unchanged list costs a 304 (not counted by GitHub), the watermark of
 * each list, and the few deployments whose final status is still to come. Its size is bounded:
 * four ETags, a few times, and at most {@link MAX_OPEN_DEPLOYMENTS} deployments.
 */
export interface RepositoryCursor {
  v: 1;
  /** Start of the back-fill window, epoch ms: nothing older is pulled. */
  from: number;
  /** True once every list has been pulled through the window at least once. */
  backfilled: boolean;
  repo: { etag?: string; htmlUrl?: string };
  /**
   * Commits of the default branch. `since` is the newest commit time stored; a run that stops
   * part-way (to spare the budget) has stored the commits newer than `until`, and `newest` is
   * the time `since` moves to once the run that started it completes.
   */
  commits: ListCursor;
  /** Closed pull requests by last update, same fields as commits. */
  pulls: ListCursor;
  deployments: {
    etag?: string;
    /** The newest deployment id stored; GitHub's ids only grow. */
    maxId?: number;
    /** Deployments not yet in a final state: [id, ETag of its statuses]. */
    open: [number, string | undefined][];
  };
  releases: { etag?: string };
}

export interface ListCursor {
  since: number;
  etag?: string;
  until?: number;
  newest?: number;
}

/** Deployments whose statuses are followed; older open ones are let go. */
export const MAX_OPEN_DEPLOYMENTS = 20;

/** A cursor for a repository never pulled: the back-fill window ends now. */
export function initialCursor(
  now: number,
  backfillDays: number,
): RepositoryCursor {
  const from = now - backfillDays * 24 * 60 * 60 * 1000;
  return {
    v: 1,
    from,
    backfilled: false,
    repo: {},
    commits: { since: from },
    pulls: { since: from },
    deployments: { open: [] },
    releases: {},
  };
}

/** The stored cursor, or a fresh one when there is none or it is of another version. */
export function readCursor(
  cursor: string | undefined,
  now: number,
  backfillDays: number,
): RepositoryCursor {
  if (cursor) {
    try {
      const parsed = JSON.parse(cursor) as RepositoryCursor;
      if (parsed?.v === 1) return parsed;
    } catch {
      // A cursor that does not parse is started again: the pull is idempotent.
    }
  }
  return initialCursor(now, backfillDays);
}
