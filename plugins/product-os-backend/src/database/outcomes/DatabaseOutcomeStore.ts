import { Knex } from 'knex';
import { num, Row } from '../rowValues';
import type {
  LabelledConfidence,
  OutcomeInput,
  OutcomeStore,
} from './OutcomeStore';

/** {@link OutcomeStore} on the plugin's knex database. */
export class DatabaseOutcomeStore implements OutcomeStore {
  constructor(private readonly knex: Knex) {}

  async listUndecided(limit: number): Promise<number[]> {
    const rows: Row[] = await this.knex('diagnoses as d')
      .leftJoin('diagnosis_outcomes as o', 'o.diagnosis_id', 'd.id')
      .whereNull('o.diagnosis_id')
      .whereNotNull('d.anomaly_id')
      .orderBy([
        { column: 'd.created_at', order: 'asc' },
        { column: 'd.id', order: 'asc' },
      ])
      .limit(limit)
      .select('d.id');
    return rows.map(row => num(row.id));
  }

  async recordOutcome(input: OutcomeInput): Promise<'recorded' | 'exists'> {
    const inserted: Row[] = await this.knex('diagnosis_outcomes')
      .insert({
        diagnosis_id: input.diagnosisId,
        outcome: input.outcome,
        basis: input.basis,
        description: input.description,
        suspect_change_id: input.suspectChangeId ?? null,
        fix_change_id: input.fixChangeId ?? null,
        fix_at: input.fixAt ?? null,
        stopped_at: input.stoppedAt ?? null,
        reason: input.reason ?? null,
        decided_by: input.decidedBy ?? null,
        confidence: input.confidence,
        suspect_was_cause:
          input.suspectWasCause === undefined ? null : input.suspectWasCause,
        decided_at: input.decidedAt,
      })
      .onConflict('diagnosis_id')
      .ignore()
      .returning(['diagnosis_id']);
    return inserted.length > 0 ? 'recorded' : 'exists';
  }

  async labelledConfidences(limit: number): Promise<LabelledConfidence[]> {
    const rows: Row[] = await this.knex('diagnosis_outcomes')
      .whereNotNull('suspect_was_cause')
      .orderBy([
        { column: 'decided_at', order: 'desc' },
        { column: 'diagnosis_id', order: 'desc' },
      ])
      .limit(limit)
      .select('confidence', 'suspect_was_cause');
    return rows.map(row => ({
      confidence: num(row.confidence),
      // SQLite keeps booleans as 0 and 1.
      suspectWasCause:
        row.suspect_was_cause === true || num(row.suspect_was_cause) === 1,
    }));
  }
}
