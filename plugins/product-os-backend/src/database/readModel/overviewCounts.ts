import type { Knex } from 'knex';
import type { BucketedRange } from '../TimeRange';
import { num, Row } from '../rowValues';
import { deploymentCountQuery } from './deploymentCount';
import {
  ErrorGroupCounts,
  errorGroupCountsQuery,
  toErrorGroupCounts,
} from './errorGroupCounts';
import { ErrorTotals, errorTotalsQuery, toErrorTotals } from './errorTotals';
import {
  IncidentCounts,
  incidentCountsQuery,
  toIncidentCounts,
} from './incidentCounts';
import {
  OpenDiagnosisCounts,
  openDiagnosisCountsQuery,
  toOpenDiagnosisCounts,
} from './openDiagnosisCounts';

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
  const parts: Array<[string, Knex.QueryBuilder]> = [
    ['e', errorTotalsQuery(knex, refs, range)],
    ['g', errorGroupCountsQuery(knex, entityRef, range)],
    ['i', incidentCountsQuery(knex, refs, range)],
    ['c', deploymentCountQuery(knex, entityRef, range)],
    ['d', openDiagnosisCountsQuery(knex, refs)],
    [
      'l',
      knex('diagnoses')
        .where('entity_ref', entityRef)
        .orderBy([
          { column: 'created_at', order: 'desc' },
          { column: 'id', order: 'desc' },
        ])
        .limit(1)
        .select('id as latest_diagnosis_id'),
    ],
  ];
  let query = knex
    .from(knex.raw('(SELECT 1 AS one) AS overview'))
    .select(
      'e.events',
      'e.previous_events',
      'g.group_count',
      'g.new_groups',
      'i.total',
      'i.open_count as incidents_open',
      'c.deployments',
      'd.open_count as diagnoses_open',
      'd.waiting_count',
      'l.latest_diagnosis_id',
    );
  for (const [alias, part] of parts) {
    query = query.leftJoin(part.as(alias), join => join.on(knex.raw('1 = 1')));
  }
  const [row]: Row[] = await query;
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
