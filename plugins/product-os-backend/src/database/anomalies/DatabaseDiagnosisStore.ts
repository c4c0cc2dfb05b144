import { Knex } from 'knex';
import type { Diagnosis } from '@internal/plugin-product-os-common';
import { toChangeEvent } from '../changes/changeRows';
import { num, parseJson, Row } from '../rowValues';
import { chunk } from '../sql';
import type {
  DiagnosisInput,
  DiagnosisQuery,
  DiagnosisStore,
  DiagnosisTransition,
  EvidenceInput,
  RedactableText,
  SaveDiagnosisResult,
} from './DiagnosisStore';
import { toDiagnosis, toEvidence } from './anomalyRows';

/** {@link DiagnosisStore} on the plugin's knex database. */
export class DatabaseDiagnosisStore implements DiagnosisStore {
  constructor(private readonly knex: Knex) {}

  async createDiagnosis(input: DiagnosisInput): Promise<Diagnosis> {
    const id = await this.knex.transaction(tx => insertDiagnosis(tx, input));
    return (await this.getDiagnosis(id))!;
  }

  async getDiagnosis(id: number): Promise<Diagnosis | undefined> {
    const [diagnosis] = await this.loadDiagnoses(
      this.knex('diagnoses').where({ id }),
    );
    return diagnosis;
  }

  async listDiagnoses(query: DiagnosisQuery): Promise<Diagnosis[]> {
    const builder = this.knex('diagnoses').orderBy([
      { column: 'created_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ]);
    if (query.entityRefs) builder.whereIn('entity_ref', query.entityRefs);
    if (query.statuses?.length) builder.whereIn('status', query.statuses);
    if (query.actionability?.length)
      builder.whereIn('actionability', query.actionability);
    if (query.owners?.length) builder.whereIn('owner', query.owners);
    if (query.anomalyId !== undefined)
      builder.where('anomaly_id', query.anomalyId);
    builder.limit(query.limit ?? 100);
    return this.loadDiagnoses(builder);
  }

  private async loadDiagnoses(
    builder: Knex.QueryBuilder,
  ): Promise<Diagnosis[]> {
    const rows: Row[] = await builder;
    if (rows.length === 0) return [];
    const ids = rows.map(row => num(row.id));
    const suspectRows: Row[] = await this.knex('diagnosis_suspects')
      .join(
        'change_events',
        'change_events.id',
        'diagnosis_suspects.change_event_id',
      )
      .whereIn('diagnosis_suspects.diagnosis_id', ids)
      .select(
        'change_events.*',
        'diagnosis_suspects.id as suspect_id',
        'diagnosis_suspects.diagnosis_id',
        'diagnosis_suspects.rank',
        'diagnosis_suspects.score',
        'diagnosis_suspects.confidence',
      )
      .orderBy('diagnosis_suspects.rank');
    const evidence = (
      await this.knex('diagnosis_evidence')
        .whereIn('diagnosis_id', ids)
        .orderBy([
          { column: 'weight', order: 'desc' },
          { column: 'id', order: 'asc' },
        ])
    ).map(row => ({
      diagnosisId: num(row.diagnosis_id),
      evidence: toEvidence(row),
    }));
    const history: Row[] = await this.knex('diagnosis_feedback')
      .whereIn('diagnosis_id', ids)
      .orderBy([
        { column: 'at', order: 'asc' },
        { column: 'id', order: 'asc' },
      ]);
    const revisions: Row[] = await this.knex('diagnosis_revisions')
      .leftJoin(
        'change_events',
        'change_events.id',
        'diagnosis_revisions.change_event_id',
      )
      .whereIn('diagnosis_revisions.diagnosis_id', ids)
      .select(
        'diagnosis_revisions.*',
        'change_events.entity_ref as change_entity_ref',
        'change_events.title as change_title',
      )
      .orderBy([
        { column: 'diagnosis_revisions.at', order: 'asc' },
        { column: 'diagnosis_revisions.id', order: 'asc' },
      ]);

    const outcomes: Row[] = await this.knex('diagnosis_outcomes')
      .leftJoin(
        'change_events',
        'change_events.id',
        'diagnosis_outcomes.fix_change_id',
      )
      .whereIn('diagnosis_outcomes.diagnosis_id', ids)
      .select(
        'diagnosis_outcomes.*',
        'change_events.entity_ref as fix_entity_ref',
        'change_events.title as fix_title',
        'change_events.url as fix_url',
      );

    return rows.map(row => {
      const id = num(row.id);
      return toDiagnosis(row, {
        outcome: outcomes.find(o => num(o.diagnosis_id) === id),
        suspects: suspectRows.filter(s => num(s.diagnosis_id) === id),
        toChange: toChangeEvent,
        evidence: evidence
          .filter(e => e.diagnosisId === id)
          .map(e => e.evidence),
        history: history.filter(h => num(h.diagnosis_id) === id),
        revisions: revisions.filter(r => num(r.diagnosis_id) === id),
      });
    });
  }

  async saveAgentDiagnosis(
    input: DiagnosisInput & { anomalyId: number },
  ): Promise<SaveDiagnosisResult> {
    const { id, outcome } = await this.knex.transaction(async tx => {
      // A no-op update locks the anomaly, so two instances diagnosing it at once take turns.
      await tx('anomalies')
        .where({ id: input.anomalyId })
        .increment('score', 0);
      const latest: Row | undefined = await tx('diagnoses')
        .where({ anomaly_id: input.anomalyId })
        .orderBy('id', 'desc')
        .first();
      if (!latest)
        return {
          id: await insertDiagnosis(tx, input),
          outcome: 'created' as const,
        };
      if (latest.status !== 'open')
        return { id: num(latest.id), outcome: 'kept' as const };
      const diagnosisId = num(latest.id);
      await tx('diagnosis_evidence')
        .where({ diagnosis_id: diagnosisId })
        .delete();
      await tx('diagnosis_suspects')
        .where({ diagnosis_id: diagnosisId })
        .delete();
      await tx('diagnoses')
        .where({ id: diagnosisId })
        .update({ ...diagnosisColumns(input), updated_at: input.createdAt });
      await insertSuspectsAndEvidence(tx, diagnosisId, input);
      await reviseDiagnosis(tx, diagnosisId, input);
      return { id: diagnosisId, outcome: 'updated' as const };
    });
    return { diagnosis: (await this.getDiagnosis(id))!, outcome };
  }

  async transitionDiagnosis(id: number, transition: DiagnosisTransition) {
    const outcome = await this.knex.transaction(async tx => {
      const row: Row | undefined = await tx('diagnoses').where({ id }).first();
      if (!row) return 'missing' as const;
      if (!transition.from.includes(row.status)) return 'conflict' as const;
      // Only from the status just read: a concurrent change makes this a conflict, not a
      // silent overwrite.
      const updated = await tx('diagnoses')
        .where({ id, status: row.status })
        .update({
          status: transition.to,
          updated_at: transition.at,
          feedback_by: transition.by,
          ...(transition.reason !== undefined && {
            feedback: transition.reason,
          }),
        });
      if (updated === 0) return 'conflict' as const;
      await tx('diagnosis_feedback').insert({
        diagnosis_id: id,
        from_status: row.status,
        to_status: transition.to,
        reason: transition.reason ?? null,
        by: transition.by,
        at: transition.at,
      });
      return 'updated' as const;
    });
    if (outcome === 'missing') return { outcome };
    return { outcome, diagnosis: (await this.getDiagnosis(id))! };
  }

  async getRedactableTexts(
    ids: number[],
  ): Promise<Map<number, RedactableText>> {
    const texts = new Map<number, RedactableText>();
    for (const part of chunk(ids, 500)) {
      const rows: Row[] = await this.knex('diagnoses')
        .whereIn('id', part)
        .whereNotNull('redactable')
        .select('id', 'redactable');
      for (const row of rows) {
        const text = parseJson<RedactableText | null>(row.redactable, null);
        if (text) texts.set(num(row.id), text);
      }
    }
    return texts;
  }
}

function evidenceColumns(e: EvidenceInput) {
  return {
    kind: e.kind,
    description: e.description,
    weight: e.weight,
    url: e.url ?? null,
    facts: JSON.stringify(e.facts ?? {}),
  };
}

function diagnosisColumns(input: DiagnosisInput) {
  return {
    entity_ref: input.entityRef,
    anomaly_id: input.anomalyId ?? null,
    summary: input.summary,
    confidence: input.confidence,
    actionability: input.actionability,
    next_step: input.nextStep ?? null,
    reviewers: JSON.stringify(input.reviewers),
    impact: JSON.stringify(input.impact ?? {}),
    owner: input.owner ?? null,
    verdict: input.verdict ?? 'suspect',
    redactable: input.redactable ? JSON.stringify(input.redactable) : null,
  };
}

async function insertDiagnosis(
  tx: Knex.Transaction,
  input: DiagnosisInput,
): Promise<number> {
  const [row] = await tx('diagnoses')
    .insert({
      ...diagnosisColumns(input),
      status: 'open',
      created_by: input.createdBy ?? 'agent',
      created_at: input.createdAt,
      updated_at: input.createdAt,
    })
    .returning(['id']);
  const diagnosisId = num(row.id);
  await insertSuspectsAndEvidence(tx, diagnosisId, input);
  await tx('diagnosis_revisions').insert(revisionColumns(diagnosisId, input));
  return diagnosisId;
}

/** What a version of a diagnosis concluded. */
function revisionColumns(diagnosisId: number, input: DiagnosisInput) {
  return {
    diagnosis_id: diagnosisId,
    at: input.createdAt,
    verdict: input.verdict ?? 'suspect',
    actionability: input.actionability,
    // Two decimals: the card shows whole percents, and a rewrite that moves the confidence by
    // less than that is not a new conclusion.
    confidence: Math.round(input.confidence * 100) / 100,
    change_event_id: input.suspects[0]?.changeEventId ?? null,
  };
}

/**
 * Keeps a version of a rewritten diagnosis when what it concludes changed (verdict,
 * actionability, confidence to the percent, top suspect): rewrites that only add events to the
 * same conclusion leave the history alone.
 */
async function reviseDiagnosis(
  tx: Knex.Transaction,
  diagnosisId: number,
  input: DiagnosisInput,
) {
  const next = revisionColumns(diagnosisId, input);
  const last: Row | undefined = await tx('diagnosis_revisions')
    .where({ diagnosis_id: diagnosisId })
    .orderBy('id', 'desc')
    .first();
  if (
    last &&
    last.verdict === next.verdict &&
    last.actionability === next.actionability &&
    Math.abs(num(last.confidence) - next.confidence) < 0.005 &&
    (last.change_event_id === null ? null : num(last.change_event_id)) ===
      next.change_event_id
  )
    return;
  await tx('diagnosis_revisions').insert(next);
}

async function insertSuspectsAndEvidence(
  tx: Knex.Transaction,
  diagnosisId: number,
  input: DiagnosisInput,
) {
  const evidenceRows: Record<string, unknown>[] = input.evidence.map(e => ({
    diagnosis_id: diagnosisId,
    suspect_id: null,
    ...evidenceColumns(e),
  }));
  for (const [index, suspect] of input.suspects.entries()) {
    const [suspectRow] = await tx('diagnosis_suspects')
      .insert({
        diagnosis_id: diagnosisId,
        change_event_id: suspect.changeEventId,
        rank: index + 1,
        score: suspect.score,
        confidence: suspect.confidence,
      })
      .returning(['id']);
    for (const e of suspect.evidence) {
      evidenceRows.push({
        diagnosis_id: diagnosisId,
        suspect_id: num(suspectRow.id),
        ...evidenceColumns(e),
      });
    }
  }
  for (const part of chunk(evidenceRows, 8))
    await tx('diagnosis_evidence').insert(part);
}
