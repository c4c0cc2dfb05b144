import type { IncidentTimelineInput } from '@internal/plugin-product-os-node';

/**
 * How far apart a webhook's `occurred_at` and the log entry's `created_at` of the same moment may
 * be. They name one action in PagerDuty, so they are normally the same instant; the margin only
 * absorbs rounding and clock differences between PagerDuty's services.
 */
export const SAME_MOMENT_MS = 60_000;

/**
 * The entries of `incoming` that are not on the stored timeline yet. PagerDuty tells of one
 * moment two ways with different ids (a V3 webhook's event id, a log entry's id), so an entry is
 * also already there when the timeline has an entry of the same type within
 * {@link SAME_MOMENT_MS}; each stored entry stands for one incoming entry at most, so two
 * escalations a few seconds apart stay two.
 */
export function newTimelineEntries(
  stored: IncidentTimelineInput[],
  incoming: IncidentTimelineInput[],
): IncidentTimelineInput[] {
  const ids = new Set(stored.map(entry => entry.externalId));
  const unmatched = [...stored];
  const fresh: IncidentTimelineInput[] = [];
  const seen = new Set<string>();
  for (const entry of incoming) {
    if (seen.has(entry.externalId)) continue;
    seen.add(entry.externalId);
    if (ids.has(entry.externalId)) {
      // Written before under its own id: it stands for itself only.
      const index = unmatched.findIndex(
        candidate => candidate.externalId === entry.externalId,
      );
      if (index >= 0) unmatched.splice(index, 1);
    }
  }
  for (const entry of incoming) {
    if (ids.has(entry.externalId) || !seen.delete(entry.externalId)) continue;
    const index = nearestOfType(unmatched, entry);
    if (index >= 0) unmatched.splice(index, 1);
    else fresh.push(entry);
  }
  return fresh;
}

function nearestOfType(
  candidates: IncidentTimelineInput[],
  entry: IncidentTimelineInput,
): number {
  let best = -1;
  let bestDistance = SAME_MOMENT_MS + 1;
  candidates.forEach((candidate, index) => {
    const distance = Math.abs(candidate.occurredAt - entry.occurredAt);
    if (candidate.type === entry.type && distance < bestDistance) {
      best = index;
      bestDistance = distance;
    }
  });
  return best;
}
