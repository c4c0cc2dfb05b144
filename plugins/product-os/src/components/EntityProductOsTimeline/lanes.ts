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
  item: TimelineItem;
}

/** Places items on their lanes, oldest first (the order the chart's brush slices by). */
export function toTimelineRows(items: TimelineItem[]): TimelineRow[] {
  return items
    .map(item => ({
      time: Date.parse(item.time),
      lane: LANE_OF_TYPE[item.type],
      item,
    }))
    .sort((a, b) => a.time - b.time);
}
