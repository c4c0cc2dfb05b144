/** Where the pull of a project left off. */
export interface SentryPullCursor {
  /** When the last successful pull began, epoch ms: the next asks for issues seen since. */
  since: number;
  /** Releases created from here on are new to the next pull. */
  releasesSince: number;
  /**
   * Issues whose latest event is stored as a sample, newest first (at most
   * {@link MAX_SAMPLED_ISSUES}): a group's frames do not change, so later pulls sample others.
   */
  sampled?: string[];
}

/** Sampled issues remembered per project; an issue forgotten may be sampled once more. */
export const MAX_SAMPLED_ISSUES = 200;

export function parseCursor(cursor?: string): SentryPullCursor | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(cursor);
    if (Number.isFinite(value?.since) && Number.isFinite(value?.releasesSince))
      return {
        since: value.since,
        releasesSince: value.releasesSince,
        sampled: Array.isArray(value.sampled)
          ? value.sampled.filter((id: unknown) => typeof id === 'string')
          : undefined,
      };
  } catch {
    // An unreadable cursor (from another version) means a back-fill, as a first pull.
  }
  return undefined;
}

export function formatCursor(cursor: SentryPullCursor): string {
  return JSON.stringify(cursor);
}
