import { TimelineItem } from '@internal/plugin-product-os-common';
import { timelineItemAnchorId } from '../../lib/anchors';
import { TimelineRow } from './lanes';

/** Where a row of the timeline leads: a URL, a path of the portal, or `#anchor` on the page. */
export type RowLink = (row: TimelineRow) => string | undefined;

/**
 * Where a timeline item's detail is: its page at the source when it has one, otherwise its
 * row in a card on the same tab.
 */
export function itemLink(item: TimelineItem): string | undefined {
  if (item.url) return item.url;
  const anchor = timelineItemAnchorId(item.type, item.id);
  return anchor ? `#${anchor}` : undefined;
}

/**
 * Where an item of another entity's case file is: its page at the source, or its row on that
 * entity's Product OS tab (`tabPath`), so a system's timeline leads into its components' tabs.
 */
export function itemLinkOnTab(item: TimelineItem, tabPath: string): string {
  if (item.url) return item.url;
  const anchor = timelineItemAnchorId(item.type, item.id);
  return anchor ? `${tabPath}#${anchor}` : tabPath;
}

/** The default {@link RowLink}: the item's detail on this page or at its source. */
export const rowLinkOnThisTab: RowLink = row => itemLink(row.item);
