import { BackstageCredentials } from '@backstage/backend-plugin-api';
import { parseEntityRef } from '@backstage/catalog-model';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import {
  diagnosisStatusesBefore,
  type Diagnosis,
  type DiagnosisReviewStatus,
} from '@internal/plugin-product-os-common';
import type { AnomalyStore } from '../database/anomalies/AnomalyStore';
import type { DiagnosisStore } from '../database/anomalies/DiagnosisStore';
import type { EntityAccess } from '../entities/EntityAccess';
import { DiagnosisRedaction } from '../read/redactDiagnoses';
import type { MonitoringAgent } from './MonitoringAgent';
import type { OutcomeEvaluator } from './outcomes/OutcomeEvaluator';

/** A status change a person asks for. */
export interface StatusChange {
  status: DiagnosisReviewStatus;
  reason?: string;
}

/**
 * Diagnoses as people see and act on them: reading one (as absent as its entity, to a caller
 * who may not see the entity), moving it through its lifecycle with the feedback kept, and
 * asking the agent to research an anomaly again.
 */
export class DiagnosisService {
  private readonly redaction: DiagnosisRedaction;

  constructor(
    private readonly options: {
      diagnoses: DiagnosisStore;
      anomalies: Pick<AnomalyStore, 'closeAnomaly' | 'getAnomalyRecord'>;
      entities: EntityAccess;
      agent?: MonitoringAgent;
      /** Records a rejected diagnosis' outcome at once, with the reason given. */
      outcomes?: Pick<OutcomeEvaluator, 'evaluateDiagnosis'>;
      now?: () => number;
    },
  ) {
    this.redaction = new DiagnosisRedaction(
      options.diagnoses,
      options.entities,
    );
  }

  /**
   * The diagnosis, if it exists and the caller may read its entity, without what it tells about
   * entities the caller may not see.
   */
  async get(id: number, credentials: BackstageCredentials): Promise<Diagnosis> {
    const diagnosis = await this.options.diagnoses.getDiagnosis(id);
    if (!diagnosis) throw new NotFoundError(`No diagnosis ${id}`);
    await this.assertReadable(
      diagnosis.entityRef,
      credentials,
      `No diagnosis ${id}`,
    );
    return this.redacted(diagnosis, credentials);
  }

  private async redacted(
    diagnosis: Diagnosis,
    credentials: BackstageCredentials,
  ): Promise<Diagnosis> {
    return (await this.redaction.redactOne(diagnosis, credentials)).diagnosis;
  }

  /**
   * Acknowledges, resolves or rejects a diagnosis. Rejecting needs a reason; a change the
   * lifecycle does not allow (resolved → acknowledged, say) is a conflict. Resolving or
   * rejecting closes the anomaly, so the agent does not report it again. A rejection's outcome
   * (refuted, with the reason) is recorded at once.
   */
  async changeStatus(
    id: number,
    change: StatusChange,
    by: string,
    credentials: BackstageCredentials,
  ): Promise<Diagnosis> {
    const reason = change.reason?.trim() || undefined;
    if (change.status === 'rejected' && !reason) {
      throw new InputError(
        'reason: rejecting a diagnosis needs a reason, so the agent can learn from it',
      );
    }
    const current = await this.get(id, credentials);
    const from = diagnosisStatusesBefore(change.status);
    const result = await this.options.diagnoses.transitionDiagnosis(id, {
      to: change.status,
      from,
      reason,
      by,
      at: (this.options.now ?? Date.now)(),
    });
    if (result.outcome === 'missing')
      throw new NotFoundError(`No diagnosis ${id}`);
    if (result.outcome === 'conflict') {
      throw new ConflictError(
        `Diagnosis ${id} is ${result.diagnosis.status}; it cannot become ${change.status}`,
      );
    }
    if (
      current.anomalyId !== undefined &&
      (change.status === 'resolved' || change.status === 'rejected')
    ) {
      await this.options.anomalies.closeAnomaly(current.anomalyId);
    }
    if (change.status === 'rejected' && this.options.outcomes) {
      // A rejection is an outcome: refuted, with the reason. Should recording it fail, the
      // rejection stands and the agent's next pass records it.
      const judged = await this.options.outcomes
        .evaluateDiagnosis(id)
        .catch(() => false);
      if (judged) {
        const updated = await this.options.diagnoses.getDiagnosis(id);
        if (updated) return this.redacted(updated, credentials);
      }
    }
    return this.redacted(result.diagnosis, credentials);
  }

  /** Researches the anomaly again and returns the new diagnosis. */
  async researchAgain(
    anomalyId: number,
    by: string,
    credentials: BackstageCredentials,
  ): Promise<Diagnosis> {
    const anomaly = await this.options.anomalies.getAnomalyRecord(anomalyId);
    if (!anomaly) throw new NotFoundError(`No anomaly ${anomalyId}`);
    await this.assertReadable(
      anomaly.entityRef,
      credentials,
      `No anomaly ${anomalyId}`,
    );
    if (!this.options.agent)
      throw new ConflictError('The diagnosis agent is disabled');
    return this.redacted(
      await this.options.agent.researchAgain(anomalyId, by),
      credentials,
    );
  }

  private async assertReadable(
    entityRef: string,
    credentials: BackstageCredentials,
    message: string,
  ): Promise<void> {
    try {
      await this.options.entities.getReadable(
        parseEntityRef(entityRef),
        credentials,
      );
    } catch (error) {
      if (
        error instanceof NotFoundError ||
        (error as Error).name === 'NotFoundError'
      ) {
        throw new NotFoundError(message);
      }
      throw error;
    }
  }
}
