import { WAITING_FOR_A_PERSON } from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { TimeRange } from '../../database/TimeRange';
import { num, Row } from '../../database/rowValues';
import {
  inList,
  joinSql,
  readRows,
  sql,
} from '../../database/readModel/statement';

/** What the health score needs beyond the leaders' page's error totals, incidents and diagnoses. */
export interface HealthRows {
  /** Error groups first seen in the window, by entity. */
  newErrorGroups: Map<string, number>;
  /** Error groups that came back after being resolved, in the window, by entity. */
  regressedErrorGroups: Map<string, number>;
  /**
   * Entities with an error group first seen before the window: only those have a baseline to
   * measure a rise of errors against (an entity whose errors all began inside the window, a
   * newly connected one, has none yet, whatever its previous window counted).
   */
  errorBaseline: Set<string>;
  /** Hours from creation to resolution of each incident resolved in the window, by entity. */
  resolutionHours: Map<string, number[]>;
  /** Events of each metric in the window and in the one before it, by entity then metric. */
  metricTotals: Map<string, Map<string, { current: number; previous: number }>>;
  /** Incidents open at the window's end: created before it and not resolved by then. */
  openIncidents: Map<string, number>;
  /** Incidents created in the window, open or not. */
  createdIncidents: Map<string, number>;
  /** Diagnoses open at the window's end, and how many of those wait for a person. */
  openDiagnoses: Map<string, { open: number; waitingForAPerson: number }>;
}

/**
 * Five statements, each of the same text for any number of entities: error groups new or regressed in the window, incidents
 * resolved in it, metric totals of the window and the one before, the incidents created in it or
 * open at its end, and the diagnoses open at its end. "Open at the end" reads the past as well as the present, so a daily
 * snapshot of an earlier day can be computed later: an incident is open at `to` when it was
 * created before and is not resolved, or was resolved at or after `to`; a diagnosis when it was
 * created before and is open, or it changed at or after `to` and no review moved it away from
 * `open` before `to`. Whether it waited for a person is what its last version before `to` said
 * (`diagnosis_revisions`: the agent rewrites a diagnosis in place as evidence grows), or what it
 * says now when no version was kept.
 */
export async function loadHealthRows(
  knex: Knex,
  entityRefs: string[],
  range: TimeRange,
): Promise<HealthRows> {
  const rows: HealthRows = {
    newErrorGroups: new Map(),
    regressedErrorGroups: new Map(),
    errorBaseline: new Set(),
    resolutionHours: new Map(),
    metricTotals: new Map(),
    openIncidents: new Map(),
    createdIncidents: new Map(),
    openDiagnoses: new Map(),
  };
  if (entityRefs.length === 0) return rows;
  const waiting = joinSql(
    [...WAITING_FOR_A_PERSON].map(a => sql`${a}`),
    ', ',
  );
  const span = range.to - range.from;
  const refs = (column: string) => inList(knex, column, entityRefs);
  const { from, to } = range;
  const [groups, incidents, metrics, open, diagnoses] = await Promise.all(
    [
      sql`SELECT entity_ref,
          SUM(CASE WHEN first_seen >= ${from} AND first_seen < ${to} THEN 1 ELSE 0 END) AS new_count,
          SUM(CASE WHEN regressed_at >= ${from} AND regressed_at < ${to} THEN 1 ELSE 0 END) AS regressed_count,
          SUM(CASE WHEN first_seen < ${from} THEN 1 ELSE 0 END) AS earlier_count
        FROM error_groups
        WHERE ${refs('entity_ref')} AND first_seen < ${to}
        GROUP BY entity_ref`,
      sql`SELECT entity_ref, created_at, resolved_at FROM incidents
        WHERE ${refs('entity_ref')} AND status = 'resolved'
          AND resolved_at >= ${from} AND resolved_at < ${to}`,
      sql`SELECT entity_ref, metric,
          SUM(CASE WHEN bucket_start >= ${from} THEN count ELSE 0 END) AS current_count,
          SUM(CASE WHEN bucket_start < ${from} THEN count ELSE 0 END) AS previous_count
        FROM metric_points
        WHERE ${refs('entity_ref')} AND bucket_start >= ${
        from - span
      } AND bucket_start < ${to}
        GROUP BY entity_ref, metric`,
      sql`SELECT entity_ref,
          SUM(CASE WHEN status <> 'resolved' OR resolved_at IS NULL OR resolved_at >= ${to} THEN 1 ELSE 0 END) AS open_count,
          SUM(CASE WHEN created_at >= ${from} THEN 1 ELSE 0 END) AS created_count
        FROM incidents
        WHERE ${refs('entity_ref')} AND created_at < ${to}
          AND (created_at >= ${from} OR status <> 'resolved' OR resolved_at IS NULL OR resolved_at >= ${to})
        GROUP BY entity_ref`,
      sql`SELECT d.entity_ref, COUNT(*) AS open_count,
          SUM(CASE WHEN COALESCE((
            SELECT r.actionability FROM diagnosis_revisions r
            WHERE r.diagnosis_id = d.id AND r.at < ${to}
            ORDER BY r.at DESC, r.id DESC LIMIT 1
          ), d.actionability) IN (${waiting}) THEN 1 ELSE 0 END) AS waiting_count
        FROM diagnoses d
        WHERE ${refs('d.entity_ref')} AND d.created_at < ${to}
          AND (d.status = 'open' OR (d.updated_at >= ${to} AND NOT EXISTS (
            SELECT 1 FROM diagnosis_feedback f
            WHERE f.diagnosis_id = d.id AND f.from_status = 'open' AND f.at < ${to})))
        GROUP BY d.entity_ref`,
    ].map(statement => readRows(knex, statement)),
  );
  for (const r of open as Row[]) {
    if (num(r.open_count) > 0)
      rows.openIncidents.set(r.entity_ref, num(r.open_count));
    if (num(r.created_count) > 0)
      rows.createdIncidents.set(r.entity_ref, num(r.created_count));
  }
  for (const r of diagnoses as Row[]) {
    rows.openDiagnoses.set(r.entity_ref, {
      open: num(r.open_count),
      waitingForAPerson: num(r.waiting_count),
    });
  }
  for (const r of groups as Row[]) {
    rows.newErrorGroups.set(r.entity_ref, num(r.new_count));
    rows.regressedErrorGroups.set(r.entity_ref, num(r.regressed_count));
    if (num(r.earlier_count) > 0) rows.errorBaseline.add(r.entity_ref);
  }
  for (const r of incidents as Row[]) {
    const hours = (num(r.resolved_at) - num(r.created_at)) / 3_600_000;
    const list = rows.resolutionHours.get(r.entity_ref) ?? [];
    list.push(Math.max(0, hours));
    rows.resolutionHours.set(r.entity_ref, list);
  }
  for (const r of metrics as Row[]) {
    const byMetric = rows.metricTotals.get(r.entity_ref) ?? new Map();
    byMetric.set(r.metric, {
      current: num(r.current_count),
      previous: num(r.previous_count),
    });
    rows.metricTotals.set(r.entity_ref, byMetric);
  }
  return rows;
}
