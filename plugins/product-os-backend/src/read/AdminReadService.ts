import type { AuditEntry, AuditStore } from '../database/audit/AuditStore';
import type {
  DeliveryStore,
  UnmappedDelivery,
} from '../database/deliveries/DeliveryStore';

/** A page of the keys no entity claims, with how many there are over every page. */
export interface UnmappedPage {
  items: UnmappedDelivery[];
  total: number;
  limit: number;
  offset: number;
}

/** What an administrator reads: deliveries no entity claims, and writes to outside systems. */
export class AdminReadService {
  constructor(
    private readonly deliveries: Pick<
      DeliveryStore,
      'listUnmapped' | 'countUnmapped'
    >,
    private readonly audit: Pick<AuditStore, 'listAudit'>,
  ) {}

  async unmapped(page: {
    limit: number;
    offset: number;
  }): Promise<UnmappedPage> {
    const [items, total] = await Promise.all([
      this.deliveries.listUnmapped(page),
      this.deliveries.countUnmapped(),
    ]);
    return { items, total, limit: page.limit, offset: page.offset };
  }

  auditLog(limit: number): Promise<AuditEntry[]> {
    return this.audit.listAudit(limit);
  }
}
