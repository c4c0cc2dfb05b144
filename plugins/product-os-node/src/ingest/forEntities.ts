import type { ErrorEventInput } from '../records';

/**
 * One delivery's error events for each entity that claims it. Event ids are unique per source,
 * so when several entities claim the delivery each gets its own copy, whose id names the entity.
 * The copies come entity by entity, in the order of `entityRefs`.
 *
 * @public
 */
export function errorEventsFor(
  entityRefs: string[],
  events: Omit<ErrorEventInput, 'entityRef'>[],
): ErrorEventInput[] {
  if (entityRefs.length === 1)
    return events.map(event => ({ ...event, entityRef: entityRefs[0] }));
  return entityRefs.flatMap(entityRef =>
    events.map(event => ({
      ...event,
      entityRef,
      eventId: `${event.eventId}:${entityRef}`,
    })),
  );
}

/**
 * One delivery's records (changes, incidents, metric points) for each entity that claims it.
 * Their ids are unique per entity, so the copies keep them.
 *
 * @public
 */
export function recordsFor<T extends { entityRef: string }>(
  entityRefs: string[],
  records: Omit<T, 'entityRef'>[],
): T[] {
  return entityRefs.flatMap(entityRef =>
    records.map(record => ({ ...record, entityRef } as T)),
  );
}
