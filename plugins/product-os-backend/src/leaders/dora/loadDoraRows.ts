import type { Knex } from 'knex';
import type { TimeRange } from '../../database/TimeRange';
import { num, optNum, Row } from '../../database/rowValues';
import { chunk } from '../../database/sql';
import { DAY_MS } from '../../time';
import type { DoraRows } from './doraRows';

/**
 * Changes made this long before the range are still read, so the first deployment of the range
 * ships only what came after the deployment before it (which is read too), not everything since
 * the range began.
 */
export const DORA_LEAD_IN_MS = 30 * DAY_MS;

/**
 * The rows DORA needs for many entities and a range, in four statements per 500 entities
 * (deployments, changes, incidents, suspects), whatever the number of entities or rows:
 * - successful deployments to a production environment (`environments`, compared without case;
 *   empty for all) that started from `DORA_LEAD_IN_MS` before the range to its end;
 * - commits and merged pull requests of the same span;
 * - incidents created in the span;
 * - the changes named by diagnoses of these entities that were not rejected.
 */
export async function loadDoraRows(
  knex: Knex,
  entityRefs: string[],
  range: TimeRange,
  environments: string[],
): Promise<DoraRows> {
  const rows: DoraRows = {
    deployments: [],
    changes: [],
    incidents: [],
    suspects: [],
  };
  const from = range.from - DORA_LEAD_IN_MS;
  const production = environments.map(e => e.toLowerCase());
  for (const refs of chunk(entityRefs, 1)) {
    const [deployments, changes, incidents, suspects] = await Promise.all([
      knex('change_events')
        .whereIn('entity_ref', refs)
        .where('kind', 'deployment')
        .where('status', 'success')
        .where('occurred_at', '>=', from)
        .where('occurred_at', '<', range.to)
        .modify(q => {
          if (production.length)
            q.whereRaw(
              `LOWER(environment) IN (${production.map(() => '?').join(', ')})`,
              production,
            );
        })
        .select('id', 'entity_ref', 'sha', 'occurred_at', 'finished_at'),
      knex('change_events')
        .whereIn('entity_ref', refs)
        .where(q =>
          q
            .where('kind', 'commit')
            .orWhere(pr =>
              pr.where('kind', 'pull_request').where('status', 'merged'),
            ),
        )
        .where('occurred_at', '>=', from)
        .where('occurred_at', '<', range.to)
        .select(
          'id',
          'entity_ref',
          'kind',
          'sha',
          'title',
          'occurred_at',
          'first_commit_at',
        ),
      knex('incidents')
        .whereIn('entity_ref', refs)
        .where('created_at', '>=', from)
        .where('created_at', '<', range.to)
        .select('entity_ref', 'created_at', 'resolved_at', 'status'),
      knex('diagnosis_suspects as s')
        .join('diagnoses as d', 'd.id', 's.diagnosis_id')
        .whereIn('d.entity_ref', refs)
        .whereNot('d.status', 'rejected')
        .select('s.change_event_id', 'd.created_at'),
    ]);
    for (const r of deployments as Row[]) {
      rows.deployments.push({
        id: num(r.id),
        entityRef: r.entity_ref,
        sha: r.sha ?? undefined,
        startedAt: num(r.occurred_at),
        deployedAt: optNum(r.finished_at) ?? num(r.occurred_at),
      });
    }
    for (const r of changes as Row[]) {
      rows.changes.push({
        id: num(r.id),
        entityRef: r.entity_ref,
        kind: r.kind,
        sha: r.sha ?? undefined,
        title: r.title,
        at: num(r.occurred_at),
        firstCommitAt: optNum(r.first_commit_at),
      });
    }
    for (const r of incidents as Row[]) {
      rows.incidents.push({
        entityRef: r.entity_ref,
        createdAt: num(r.created_at),
        // A reopened incident keeps its first resolution time: it is not recovered.
        resolvedAt: r.status === 'resolved' ? optNum(r.resolved_at) : undefined,
      });
    }
    for (const r of suspects as Row[]) {
      rows.suspects.push({
        changeEventId: num(r.change_event_id),
        diagnosedAt: num(r.created_at),
      });
    }
  }
  return rows;
}
