/** Where the pull of a project left off. */
export interface SentryPullCursor {
  /** When the last successful pull began, epoch ms: the next asks for issues seen since. */
  since: number;
  /** Releases created from here on are new to the next pull. */
  releasesSince: number;
}

export function parseCursor(cursor?: string): SentryPullCursor | undefined {
  if (!cursor) return undefined;
  try {
    const value = JSON.parse(cursor);
    if (Number.isFinite(value?.since) && Number.isFinite(value?.releasesSince))
      return { since: value.since, releasesSince: value.releasesSince };
  } catch {
    // An unreadable cursor (from another version) means a back-fill, as a first pull.
  }
  return undefined;
}

export function formatCursor(cursor: SentryPullCursor): string {
  return JSON.stringify(cursor);
}
