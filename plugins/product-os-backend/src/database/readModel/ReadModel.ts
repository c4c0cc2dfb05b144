import type {
  ErrorGroup,
  SeriesPoint,
  TimelineItem,
} from '@internal/plugin-product-os-common';
import type { Knex } from 'knex';
import type { BucketedRange, TimeRange } from '../TimeRange';
import type { ErrorGroupCounts } from './errorGroupCounts';
import { errorGroupPage } from './errorGroupPage';
import { errorSeries } from './errorSeries';
import { errorTotals, ErrorTotals } from './errorTotals';
import { incidentCounts, IncidentCounts } from './incidentCounts';
import {
  openDiagnosisCounts,
  OpenDiagnosisCounts,
} from './openDiagnosisCounts';
import {
  overviewCounts,
  OverviewCounts,
  overviewNumbers,
  OverviewNumbers,
} from './overviewCounts';
import { timelineItems } from './timelineItems';

/**
 * The queries behind the read API's composed views (overview, errors, trend, timeline, leaders'
 * page). Each answers from aggregates (hourly buckets, counts in SQL), never from raw events, in
 * a fixed number of statements whatever the number of entities, and none returns more rows than
 * the view shows.
 */
export class ReadModel {
  constructor(private readonly knex: Knex) {}

  errorTotals(
    entityRefs: string[],
    range: BucketedRange,
  ): Promise<Map<string, ErrorTotals>> {
    return errorTotals(this.knex, entityRefs, range);
  }

  errorGroupPage(
    entityRef: string,
    range: TimeRange & { limit?: number },
  ): Promise<ErrorGroup[]> {
    return errorGroupPage(this.knex, entityRef, range);
  }

  errorSeries(entityRef: string, range: BucketedRange): Promise<SeriesPoint[]> {
    return errorSeries(this.knex, entityRef, range);
  }

  incidentCounts(
    entityRefs: string[],
    range: TimeRange,
  ): Promise<Map<string, IncidentCounts>> {
    return incidentCounts(this.knex, entityRefs, range);
  }

  openDiagnosisCounts(
    entityRefs: string[],
  ): Promise<Map<string, OpenDiagnosisCounts>> {
    return openDiagnosisCounts(this.knex, entityRefs);
  }

  /** Every number of an entity's overview, in one statement. */
  overviewCounts(
    entityRef: string,
    range: BucketedRange,
  ): Promise<OverviewCounts> {
    return overviewCounts(this.knex, entityRef, range);
  }

  /** The overview's numbers and its newest diagnosis' id, in one statement. */
  overviewNumbers(
    entityRef: string,
    range: BucketedRange,
  ): Promise<OverviewNumbers> {
    return overviewNumbers(this.knex, entityRef, range);
  }

  /** The timeline's changes, incidents, error groups and anomalies (not its diagnoses). */
  timelineItems(entityRef: string, range: TimeRange): Promise<TimelineItem[]> {
    return timelineItems(this.knex, entityRef, range);
  }
}

export type {
  ErrorGroupCounts,
  ErrorTotals,
  IncidentCounts,
  OpenDiagnosisCounts,
  OverviewCounts,
};
