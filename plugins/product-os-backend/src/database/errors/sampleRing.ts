/**
 * Which slots of an error group's sample ring the new events go to. The ring holds the group's
 * newest `size` events, by timestamp; each stored one sits in a slot (0 … size-1) whose row is
 * updated in place when a newer event takes it, so the table never holds more than groups × size
 * rows and never leaves a deleted row behind (see the migration `…_error_sample_slots`).
 */

/** A sample already stored, in its slot. */
export interface StoredSample {
  slot: number;
  timestamp: number;
  /** The row's id: of two stored samples at one timestamp, the lower one goes first. */
  id: number;
}

/** Where each kept new event goes, and which stored rows go without a replacement. */
export interface RingPlacement<E> {
  writes: { slot: number; event: E }[];
  /** Rows of stored samples that fell out and whose slots no new event takes. */
  removedIds: number[];
}

/**
 * Places `incoming` (in arrival order) into a ring of `size` slots holding `stored`. The newest
 * `size` of both are kept; at one timestamp a new event is newer than a stored one, and a later
 * arrival newer than an earlier one, as when every event was a row of its own.
 */
export function placeInRing<E extends { timestamp: number }>(
  stored: StoredSample[],
  incoming: E[],
  size: number,
): RingPlacement<E> {
  type Entry =
    | { kind: 'stored'; sample: StoredSample; order: number }
    | { kind: 'new'; event: E; order: number };
  const timestampOf = (entry: Entry) =>
    entry.kind === 'stored' ? entry.sample.timestamp : entry.event.timestamp;
  const byAge = (a: Entry, b: Entry) =>
    timestampOf(b) - timestampOf(a) || b.order - a.order;

  // Stored samples rank before every new event of their timestamp (`order` below 0).
  const storedOrder = [...stored].sort((a, b) => a.id - b.id);
  const entries: Entry[] = [
    ...storedOrder.map(
      (sample, i): Entry => ({
        kind: 'stored',
        sample,
        order: i - storedOrder.length,
      }),
    ),
    ...incoming.map((event, i): Entry => ({ kind: 'new', event, order: i })),
  ].sort(byAge);
  const kept = entries.slice(0, size);
  const dropped = entries.slice(size);

  const keptNew = kept.flatMap(e => (e.kind === 'new' ? [e.event] : []));
  // Slots free for them: those of dropped stored samples, then slots never used.
  const freed = dropped.flatMap(e => (e.kind === 'stored' ? [e.sample] : []));
  const used = new Set(stored.map(s => s.slot));
  const writes: { slot: number; event: E }[] = [];
  let next = 0;
  for (const event of keptNew) {
    const reused = freed.shift();
    if (reused) {
      writes.push({ slot: reused.slot, event });
      continue;
    }
    while (used.has(next)) next += 1;
    used.add(next);
    writes.push({ slot: next, event });
  }
  return { writes, removedIds: freed.map(s => s.id) };
}
