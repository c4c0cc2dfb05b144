import { Knex } from 'knex';
import { num, Row } from '../rowValues';
import type { NotificationLog, SentNotification } from './NotificationLog';

/** {@link NotificationLog} on the plugin's knex database (`diagnosis_notifications`). */
export class DatabaseNotificationLog implements NotificationLog {
  constructor(private readonly knex: Knex) {}

  async getSent(scope: string): Promise<SentNotification | undefined> {
    const row: Row | undefined = await this.knex('diagnosis_notifications')
      .where({ scope })
      .first();
    if (!row) return undefined;
    return {
      scope: row.scope,
      entityRef: row.entity_ref,
      diagnosisId: num(row.diagnosis_id),
      digest: row.digest,
      severity: row.severity,
      sentAt: num(row.sent_at),
    };
  }

  async recordSent(sent: SentNotification): Promise<void> {
    await this.knex('diagnosis_notifications')
      .insert({
        scope: sent.scope,
        entity_ref: sent.entityRef,
        diagnosis_id: sent.diagnosisId,
        digest: sent.digest,
        severity: sent.severity,
        sent_at: sent.sentAt,
      })
      .onConflict('scope')
      .merge(['entity_ref', 'diagnosis_id', 'digest', 'severity', 'sent_at']);
  }
}
