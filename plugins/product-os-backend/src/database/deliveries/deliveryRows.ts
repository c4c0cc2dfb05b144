import { iso, num, Row } from '../rowValues';
import type { UnmappedDelivery } from './DeliveryStore';

export function toUnmappedDelivery(row: Row): UnmappedDelivery {
  return {
    source: row.source,
    key: row.key,
    count: num(row.count),
    firstSeen: iso(row.first_seen),
    lastSeen: iso(row.last_seen),
  };
}
