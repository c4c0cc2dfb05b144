import { TimelineItemType } from '@internal/plugin-product-os-common';

/** The list a record lives in; all change kinds share one id space. */
type RecordList =
  | 'change'
  | 'incident'
  | 'error-group'
  | 'diagnosis'
  | 'anomaly';

const LIST_OF_TYPE: Record<TimelineItemType, RecordList> = {
  deployment: 'change',
  pull_request: 'change',
  release: 'change',
  commit: 'change',
  change: 'change',
  incident: 'incident',
  error_group: 'error-group',
  anomaly: 'anomaly',
  diagnosis: 'diagnosis',
};

/**
 * The DOM id of a record's row on the Product OS tab, so the timeline can link to the
 * row of an item that has no page of its own.
 */
export function recordAnchorId(list: RecordList, id: number): string {
  return `product-os-${list}-${id}`;
}

/** The anchor of a timeline item's row, or undefined for types no card lists. */
export function timelineItemAnchorId(
  type: TimelineItemType,
  id: number,
): string | undefined {
  const list = LIST_OF_TYPE[type];
  return list === 'anomaly' ? undefined : recordAnchorId(list, id);
}
