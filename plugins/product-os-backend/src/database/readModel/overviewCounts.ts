import type { Knex } from 'knex';
import type { BucketedRange } from '../TimeRange';
import { num } from '../rowValues';
import { deploymentCountSql } from './deploymentCount';
import {
  ErrorGroupCounts,
  errorGroupCountsSql,
  toErrorGroupCounts,
} from './errorGroupCounts';
import {
  entityErrorTotalsSql,
  ErrorTotals,
  toErrorTotals,
} from './errorTotals';
import {
  IncidentCounts,
  incidentCountsSql,
  toIncidentCounts,
} from './incidentCounts';
import {
  OpenDiagnosisCounts,
  openDiagnosisCountsSql,
  toOpenDiagnosisCounts,
} from './openDiagnosisCounts';
import { joinSql, readRows, Sql, sql, trusted } from './statement';

/** The headline numbers of an entity's overview. */
export interface OverviewCounts {
  errors: ErrorTotals & ErrorGroupCounts;
  incidents: IncidentCounts;
  deploys: number;
  diagnoses: OpenDiagnosisCounts;
}

/** What the overview reads in its one statement: the numbers, and which diagnosis to show. */
export interface OverviewNumbers {
  counts: OverviewCounts;
  /** The entity's newest diagnosis (by creation, then id), if it has one. */
  latestDiagnosisId?: number;
}

/**
 * Every number of an entity's overview in one statement: the queries the leaders' page runs for
 * many entities (error totals, incident and open diagnosis counts) and the overview's own
 * (groups, deployments), each a derived table of at most one row, joined on nothing so that a
 * missing row (an entity without incidents) reads as zeros rather than dropping the others.
 */
export async function overviewCounts(
  knex: Knex,
  entityRef: string,
  range: BucketedRange,
): Promise<OverviewCounts> {
  return (await overviewNumbers(knex, entityRef, range)).counts;
}

/**
 * The overview's numbers ({@link overviewCounts}) and the id of the entity's newest diagnosis,
 * also a derived table of at most one row of the same statement: the overview then loads that
 * diagnosis only when there is one, rather than asking for the newest to learn there is none.
 */
export async function overviewNumbers(
  knex: Knex,
  entityRef: string,
  range: BucketedRange,
): Promise<OverviewNumbers> {
  const refs = [entityRef];
  const parts: Array<[alias: string, part: Sql]> = [
    ['e', entityErrorTotalsSql(entityRef, range)],
    ['g', errorGroupCountsSql(entityRef, range)],
    ['i', incidentCountsSql(knex, refs, range)],
    ['c', deploymentCountSql(entityRef, range)],
    ['d', openDiagnosisCountsSql(knex, refs)],
    [
      'l',
      sql`SELECT id AS latest_diagnosis_id FROM diagnoses WHERE entity_ref = ${entityRef}
        ORDER BY created_at DESC, id DESC LIMIT 1`,
    ],
  ];
  const joined = joinSql(
    parts.map(
      ([alias, part]) => sql`LEFT JOIN (${part}) ${trusted(alias)} ON 1 = 1`,
    ),
    ' ',
  );
  const [row] = await readRows(
    knex,
    sql`SELECT e.events, e.previous_events, g.group_count, g.new_groups,
        i.total, i.open_count AS incidents_open, c.deployments,
        d.open_count AS diagnoses_open, d.waiting_count, l.latest_diagnosis_id
      FROM (SELECT 1 AS one) overview ${joined}`,
  );
  const latest = row.latest_diagnosis_id;
  return {
    counts: {
      errors: { ...toErrorTotals(row), ...toErrorGroupCounts(row) },
      incidents: toIncidentCounts({ ...row, open_count: row.incidents_open }),
      deploys: num(row.deployments ?? 0),
      diagnoses: toOpenDiagnosisCounts({
        ...row,
        open_count: row.diagnoses_open,
      }),
    },
    ...(latest !== null &&
      latest !== undefined && { latestDiagnosisId: num(latest) }),
  };
}
