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
  const refs = [entityRef];
  const parts: Array<[string, Knex.QueryBuilder]> = [
    ['e', errorTotalsQuery(knex, refs, range)],
    ['g', errorGroupCountsQuery(knex, entityRef, range)],
    ['i', incidentCountsQuery(knex, refs, range)],
    ['c', deploymentCountQuery(knex, entityRef, range)],
    ['d', openDiagnosisCountsQuery(knex, refs)],
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
    );
  for (const [alias, part] of parts) {
    query = query.leftJoin(part.as(alias), join => join.on(knex.raw('1 = 1')));
  }
  const [row]: Row[] = await query;
  return {
    errors: { ...toErrorTotals(row), ...toErrorGroupCounts(row) },
    incidents: toIncidentCounts({ ...row, open_count: row.incidents_open }),
    deploys: num(row.deployments ?? 0),
    diagnoses: toOpenDiagnosisCounts({
      ...row,
      open_count: row.diagnoses_open,
    }),
  };
}
