import type { TimelineItem } from '@internal/plugin-product-os-common';
import {
  previousTimelineAnomalies,
  previousTimelineChanges,
  previousTimelineErrorGroups,
  previousTimelineIncidents,
} from './__testUtils__/previousTimeline';
import {
  API,
  describeOnSeededEngines,
  ENTITIES,
  RANGES,
} from './__testUtils__/readHistory';

jest.setTimeout(60_000);

/** How the timeline service orders its items: newest first, then by kind. */
const byTimeAndKind = (a: TimelineItem, b: TimelineItem) =>
  b.time.localeCompare(a.time) || a.type.localeCompare(b.type);

describe('timelineItems', () => {
  describeOnSeededEngines(seeded => {
    it.each(RANGES)(
      'is what the timeline made of the four lists, in the timeline’s order ($name)',
      async range => {
        const { knex, readModel } = seeded();
        for (const entityRef of ENTITIES) {
          const previous = (
            await Promise.all([
              previousTimelineChanges(knex, entityRef, range),
              previousTimelineIncidents(knex, entityRef, range),
              previousTimelineErrorGroups(knex, entityRef, range),
              previousTimelineAnomalies(knex, entityRef, range),
            ])
          )
            .flat()
            .sort(byTimeAndKind);
          const items = await readModel.timelineItems(entityRef, range);
          expect(items).toEqual(previous);
          expect([...items].sort(byTimeAndKind)).toEqual(items);
        }
      },
    );

    it('has every kind of record on one axis', async () => {
      const { readModel } = seeded();
      const [week] = RANGES.filter(r => r.name === '7d by hour');
      const items = await readModel.timelineItems(API, week);
      expect([...new Set(items.map(i => i.type))].sort()).toEqual([
        'anomaly',
        'change',
        'deployment',
        'error_group',
        'incident',
        'pull_request',
        'release',
      ]);
    });
  });
});
