import type { Knex } from 'knex';
import type { AuditStore } from '../database/audit/AuditStore';
import type { DiagnosisStore } from '../database/anomalies/DiagnosisStore';
import type { DeliveryStore } from '../database/deliveries/DeliveryStore';
import type { ReadModel } from '../database/readModel/ReadModel';
import type { EntityAccess } from '../entities/EntityAccess';
import type { HealthSettings } from '../leaders/health/computeHealth';
import { AdminReadService } from './AdminReadService';
import { DiagnosisInbox } from './DiagnosisInbox';
import { EntityReadService, EntityRecords } from './EntityReadService';
import { HealthService } from './HealthService';
import { DiagnosisRedaction } from './redactDiagnoses';

/** The services behind the read routes of the API. */
export interface ReadServices {
  entity: EntityReadService;
  health: HealthService;
  inbox: DiagnosisInbox;
  admin: AdminReadService;
}

/**
 * Builds the read services on the stores they read and the read model. Every diagnosis they
 * return passes one {@link DiagnosisRedaction}, as the caller.
 */
export function createReadServices(
  options: EntityRecords & {
    diagnoses: Pick<DiagnosisStore, 'listDiagnoses' | 'getRedactableTexts'>;
    deliveries: Pick<DeliveryStore, 'listUnmapped' | 'countUnmapped'>;
    audit: Pick<AuditStore, 'listAudit'>;
    readModel: ReadModel;
    entities: EntityAccess;
    /** The database the health score's inputs are read from, and how they are weighed. */
    knex: Knex;
    health: HealthSettings;
  },
): ReadServices {
  const { diagnoses, readModel, entities } = options;
  const redaction = new DiagnosisRedaction(diagnoses, entities);
  return {
    entity: new EntityReadService(options, readModel, redaction),
    health: new HealthService(options.knex, entities, options.health),
    inbox: new DiagnosisInbox(diagnoses, entities, redaction),
    admin: new AdminReadService(options.deliveries, options.audit),
  };
}
