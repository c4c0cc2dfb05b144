import { BackstageCredentials } from '@backstage/backend-plugin-api';
import type {
  Actionability,
  Diagnosis,
  DiagnosisStatus,
} from '@internal/plugin-product-os-common';
import type { DiagnosisStore } from '../database/anomalies/DiagnosisStore';
import type { EntityAccess } from '../entities/EntityAccess';
import type { DiagnosisRedaction } from './redactDiagnoses';

/** Filters of the portal-wide diagnosis list. */
export interface DiagnosisInboxQuery {
  statuses?: DiagnosisStatus[];
  actionability?: Actionability[];
  /** Owner entity ref; a group includes the groups below it. */
  owner?: string;
  limit?: number;
}

/**
 * Diagnoses across the portal, newest first, for the entities the caller may see: the list is
 * narrowed to the caller's readable tracked entities before it is limited, so hidden entities
 * neither show up nor take places in the page, and what the diagnoses tell about entities the
 * caller may not see is redacted.
 */
export class DiagnosisInbox {
  constructor(
    private readonly store: Pick<DiagnosisStore, 'listDiagnoses'>,
    private readonly entities: EntityAccess,
    private readonly redaction: DiagnosisRedaction,
  ) {}

  async list(
    query: DiagnosisInboxQuery,
    credentials: BackstageCredentials,
  ): Promise<Diagnosis[]> {
    const tracked = await this.entities.listTracked(
      { owner: query.owner },
      credentials,
    );
    if (tracked.length === 0) return [];
    const diagnoses = await this.store.listDiagnoses({
      entityRefs: tracked.map(t => t.entityRef),
      statuses: query.statuses,
      actionability: query.actionability,
      limit: query.limit ?? 100,
    });
    return this.redaction.redact(diagnoses, credentials);
  }
}
