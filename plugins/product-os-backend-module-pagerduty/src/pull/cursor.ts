/**
 * Where the pull of a service left off: incidents and change events are fetched from a little
 * before these times on the next run, and incidents that were open are looked at again (PagerDuty
 * lists incidents by when they were created, so one created earlier and resolved since would not
 * be listed again).
 */
export interface PagerDutyCursor {
  v: 1;
  /** The run's clock when incidents were last listed, epoch ms. */
  incidentsAt: number;
  /** The run's clock when change events were last listed, epoch ms. */
  changesAt: number;
  /** Incidents not resolved at the last run. */
  open: string[];
}

export function readCursor(
  cursor: string | undefined,
): PagerDutyCursor | undefined {
  if (!cursor) return undefined;
  try {
    const parsed = JSON.parse(cursor);
    if (
      parsed?.v === 1 &&
      Number.isFinite(parsed.incidentsAt) &&
      Number.isFinite(parsed.changesAt) &&
      Array.isArray(parsed.open)
    ) {
      return parsed as PagerDutyCursor;
    }
  } catch {
    // An unreadable cursor starts over with a back-fill, which changes nothing already stored.
  }
  return undefined;
}

export function writeCursor(cursor: PagerDutyCursor): string {
  return JSON.stringify(cursor);
}
