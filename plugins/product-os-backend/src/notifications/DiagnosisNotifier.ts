import { createHash } from 'crypto';
import type { LoggerService } from '@backstage/backend-plugin-api';
import type { NotificationService } from '@backstage/plugin-notifications-node';
import type { Diagnosis } from '@internal/plugin-product-os-common';
import type { NotificationsConfig } from '../config';
import type { DiagnosisStore } from '../database/anomalies/DiagnosisStore';
import type { NotificationLog } from '../database/notifications/NotificationLog';
import { mentionedEntities, redactDiagnosis } from '../read/redactDiagnoses';
import {
  diagnosisNotification,
  notificationScope,
} from './diagnosisNotification';
import { worthNotifying } from './notificationRules';

/**
 * Tells the owners of an entity about its diagnoses through Backstage notifications (recipients
 * `{ type: 'entity' }`: the notifications backend sends to the entity's owner, a group's
 * members). One notification per case: the first when a diagnosis is worth it
 * (`worthNotifying`), then an update of that same notification (same scope) whenever what it
 * says changes, a person's review included. What it says is redacted as for a reader who may
 * see no entity but the diagnosed one, since the owners are many readers at once.
 *
 * A failure to send is logged and never fails the write that caused it; the next change of the
 * diagnosis tries again.
 */
export class DiagnosisNotifier {
  constructor(
    private readonly options: {
      notifications: NotificationService;
      log: NotificationLog;
      texts: Pick<DiagnosisStore, 'getRedactableTexts'>;
      config: NotificationsConfig;
      logger: LoggerService;
      now?: () => number;
    },
  ) {}

  /** Called after a diagnosis was written or reviewed. */
  async diagnosisChanged(diagnosis: Diagnosis): Promise<void> {
    const { config, logger } = this.options;
    if (!config.enabled) return;
    try {
      await this.notify(diagnosis);
    } catch (error) {
      logger.warn('Could not notify the owners of a diagnosis', {
        diagnosisId: diagnosis.id,
        entityRef: diagnosis.entityRef,
        error: String(error),
      });
    }
  }

  private async notify(diagnosis: Diagnosis): Promise<void> {
    const { log, notifications, config } = this.options;
    const scope = notificationScope(diagnosis);
    const sent = await log.getSent(scope);
    // Once sent, the notification follows the case (even below the thresholds, or resolved).
    if (!sent && !worthNotifying(diagnosis, config)) return;
    const payload = diagnosisNotification(
      ...(await this.asOwnersSeeIt(diagnosis)),
    );
    const digest = createHash('sha256')
      .update(
        JSON.stringify([
          payload.title,
          payload.description,
          payload.link,
          payload.severity,
        ]),
      )
      .digest('hex');
    // The same words again (an agent run that changed nothing people read) would only mark it
    // unread for everyone.
    if (sent?.digest === digest) return;
    await notifications.send({
      recipients: { type: 'entity', entityRef: diagnosis.entityRef },
      payload,
    });
    await log.recordSent({
      scope,
      entityRef: diagnosis.entityRef,
      diagnosisId: diagnosis.id,
      digest,
      severity: payload.severity ?? 'normal',
      sentAt: (this.options.now ?? Date.now)(),
    });
  }

  /** The diagnosis without anything about another entity, and whether its top suspect went. */
  private async asOwnersSeeIt(
    diagnosis: Diagnosis,
  ): Promise<[Diagnosis, { causeHidden: boolean }]> {
    const texts = await this.options.texts.getRedactableTexts([diagnosis.id]);
    const text = texts.get(diagnosis.id);
    const redacted = redactDiagnosis(
      diagnosis,
      mentionedEntities(diagnosis, text),
      text,
    );
    return [
      redacted.diagnosis,
      { causeHidden: redacted.diagnosis.hiddenTopSuspect !== undefined },
    ];
  }
}
