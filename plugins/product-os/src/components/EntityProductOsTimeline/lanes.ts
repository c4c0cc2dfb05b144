import {
  TimelineItem,
  TimelineItemType,
} from '@internal/plugin-product-os-common';

/** A horizontal band of the timeline. */
export interface Lane {
  label: string;
  /** Picks a colour from the theme palette, so the chart follows the theme. */
  color: 'info' | 'error' | 'warning' | 'secondary' | 'primary';
}

export const LANES: Lane[] = [
  { label: 'Changes', color: 'info' },
  { label: 'Errors', color: 'error' },
  { label: 'Anomalies', color: 'warning' },
  { label: 'Incidents', color: 'secondary' },
  { label: 'Diagnoses', color: 'primary' },
];

const LANE_OF_TYPE: Record<TimelineItemType, number> = {
  deployment: 0,
  pull_request: 0,
  release: 0,
  commit: 0,
  change: 0,
  error_group: 1,
  anomaly: 2,
  incident: 3,
  diagnosis: 4,
};

/** A timeline item placed on the chart. */
export interface TimelineRow {
  time: number;
  lane: number;
  /** The colour of the item's kind, whichever lane it is on. */
  color: Lane['color'];
  item: TimelineItem;
  /** The entity the item belongs to, on a timeline of several (a system's). */
  entityRef?: string;
}

/** The lane of an item's kind, which also gives its colour. */
function kindLane(item: TimelineItem): number {
  return LANE_OF_TYPE[item.type];
}

const oldestFirst = (a: TimelineRow, b: TimelineRow) => a.time - b.time;

/** Places items on their lanes, oldest first (the order the chart's brush slices by). */
export function toTimelineRows(items: TimelineItem[]): TimelineRow[] {
  return items
    .map(item => ({
      time: Date.parse(item.time),
      lane: kindLane(item),
      color: LANES[kindLane(item)].color,
      item,
    }))
    .sort(oldestFirst);
}

/**
 * Several entities' items on one axis, a lane per entity (in the order given), each item in
 * the colour of its kind: a system's components' case files side by side.
 */
export function toEntityLaneRows(
  timelines: Array<{ entityRef: string; items: TimelineItem[] }>,
): TimelineRow[] {
  return timelines
    .flatMap(({ entityRef, items }, lane) =>
      items.map(item => ({
        time: Date.parse(item.time),
        lane,
        color: LANES[kindLane(item)].color,
        item,
        entityRef,
      })),
    )
    .sort(oldestFirst);
}
