import { errorEventsFor, recordsFor } from './forEntities';

const event = {
  source: 'sentry' as const,
  fingerprint: 'fp',
  eventId: 'e1',
  title: 'Error',
  level: 'error',
  timestamp: 1,
  topFrames: [],
};

describe('errorEventsFor', () => {
  it('keeps the event id for one entity, and names the entity in each copy for several', () => {
    expect(errorEventsFor(['component:default/a'], [event])).toEqual([
      { ...event, entityRef: 'component:default/a' },
    ]);
    expect(
      errorEventsFor(
        ['component:default/a', 'component:default/b'],
        [event],
      ).map(e => [e.entityRef, e.eventId]),
    ).toEqual([
      ['component:default/a', 'e1:component:default/a'],
      ['component:default/b', 'e1:component:default/b'],
    ]);
  });
});

describe('recordsFor', () => {
  it('gives each entity a copy with its ids unchanged', () => {
    expect(
      recordsFor<{ entityRef: string; externalId: string }>(
        ['component:default/a', 'component:default/b'],
        [{ externalId: 'x' }],
      ),
    ).toEqual([
      { entityRef: 'component:default/a', externalId: 'x' },
      { entityRef: 'component:default/b', externalId: 'x' },
    ]);
  });
});
