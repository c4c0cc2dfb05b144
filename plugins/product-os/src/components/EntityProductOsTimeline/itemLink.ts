import { TimelineItem } from '@internal/plugin-product-os-common';
import { timelineItemAnchorId } from '../../lib/anchors';

/**
 * Where a timeline item's detail is: its page at the source when it has one, otherwise its
 * row in a card on the same tab.
 */
export function itemLink(item: TimelineItem): string | undefined {
  if (item.url) return item.url;
  const anchor = timelineItemAnchorId(item.type, item.id);
  return anchor ? `#${anchor}` : undefined;
}
