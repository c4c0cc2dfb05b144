/*
 * What a pull of one project leaves for the next, as the JSON of the scope's cursor. A cursor
 * that cannot be read is taken as none: the next pull back-fills again, which only sets the same
 * hours and skips the same event ids.
 */

/** The metrics pull: complete hours up to `through` were pulled for `metrics`. */
export interface MetricsCursor {
  /** Start of the first hour not pulled yet, epoch ms. */
  through: number;
  /** The metrics back-filled and kept up; one not among them is back-filled when it appears. */
  metrics: string[];
}

/** The exceptions pull: events before `after` were pulled. */
export interface ExceptionsCursor {
  /** Epoch ms (a whole second). */
  after: number;
  /** False while a back-fill is still paging through history; late events are re-read once caught up. */
  caughtUp: boolean;
}

export function readMetricsCursor(cursor?: string): MetricsCursor | undefined {
  const value = parse(cursor);
  return Number.isSafeInteger(value?.through) &&
    Array.isArray(value?.metrics) &&
    value.metrics.every((m: unknown) => typeof m === 'string')
    ? { through: value.through, metrics: value.metrics }
    : undefined;
}

export function readExceptionsCursor(
  cursor?: string,
): ExceptionsCursor | undefined {
  const value = parse(cursor);
  return Number.isSafeInteger(value?.after)
    ? { after: value.after, caughtUp: value.caughtUp === true }
    : undefined;
}

function parse(cursor?: string): any {
  if (!cursor) return undefined;
  try {
    return JSON.parse(cursor);
  } catch {
    return undefined;
  }
}
