import { Knex } from 'knex';
import { num, Row } from '../rowValues';
import type {
  AuditClaim,
  AuditEntry,
  AuditEntryInput,
  AuditStore,
} from './AuditStore';
import { toAuditEntry } from './auditRows';

/** {@link AuditStore} on the plugin's knex database. */
export class DatabaseAuditStore implements AuditStore {
  constructor(private readonly knex: Knex) {}

  async claimAuditedWrite(
    entry: Omit<AuditEntryInput, 'outcome' | 'result'> & {
      previewToken: string;
    },
  ): Promise<AuditClaim> {
    const rows: Row[] = await this.knex('audit_log')
      .insert({
        at: entry.at,
        actor: entry.actor,
        action: entry.action,
        target: entry.target,
        diagnosis_id: entry.diagnosisId ?? null,
        request: JSON.stringify(entry.request),
        outcome: 'pending',
        preview_token: entry.previewToken,
      })
      .onConflict('preview_token')
      .ignore()
      .returning(['id']);
    if (rows.length) return { claimed: true, id: num(rows[0].id) };
    const existing = await this.knex('audit_log')
      .where({ preview_token: entry.previewToken })
      .first();
    return { claimed: false, existing: toAuditEntry(existing) };
  }

  async settleAuditedWrite(
    id: number,
    settled: { at: number; outcome: 'succeeded' | 'failed'; result?: unknown },
  ): Promise<void> {
    await this.knex('audit_log')
      .where({ id })
      .update({
        at: settled.at,
        outcome: settled.outcome,
        result:
          settled.result === undefined ? null : JSON.stringify(settled.result),
        ...(settled.outcome === 'failed' && { preview_token: null }),
      });
  }

  async listAudit(limit: number): Promise<AuditEntry[]> {
    const rows = await this.knex('audit_log')
      .orderBy([
        { column: 'at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ])
      .limit(limit);
    return rows.map(toAuditEntry);
  }
}
