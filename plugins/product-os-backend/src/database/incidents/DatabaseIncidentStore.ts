import { Knex } from 'knex';
import type { Incident } from '@internal/plugin-product-os-common';
import { num, Row } from '../rowValues';
import type { TimeRange } from '../TimeRange';
import type { IncidentStore } from './IncidentStore';
import { toIncident, toIncidentRecord, toTimelineEntry } from './incidentRows';

/** {@link IncidentStore} on the plugin's knex database. */
export class DatabaseIncidentStore implements IncidentStore {
  constructor(private readonly knex: Knex) {}

  async getIncidents(entityRef: string, range: TimeRange): Promise<Incident[]> {
    const rows: Row[] = await this.knex('incidents')
      .where('entity_ref', entityRef)
      .where('created_at', '<', range.to)
      // An incident still open, or resolved inside the window, belongs to the window too. Open
      // is the status: a reopened incident keeps the time it was first resolved.
      .where(q =>
        q
          .where('created_at', '>=', range.from)
          .orWhereNot('status', 'resolved')
          .orWhereNull('resolved_at')
          .orWhere('resolved_at', '>=', range.from),
      )
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'id', order: 'desc' },
      ]);
    const events: Row[] = rows.length
      ? await this.knex('incident_events')
          .whereIn(
            'incident_id',
            rows.map(row => row.id),
          )
          .orderBy([
            { column: 'occurred_at', order: 'asc' },
            { column: 'id', order: 'asc' },
          ])
      : [];
    return rows.map(row =>
      toIncident(
        toIncidentRecord(row),
        events
          .filter(event => num(event.incident_id) === num(row.id))
          .map(toTimelineEntry),
      ),
    );
  }

  async listActiveEntities(since: number): Promise<string[]> {
    const rows: Row[] = await this.knex('incidents')
      .distinct('entity_ref')
      .where('created_at', '>=', since);
    return rows.map(row => row.entity_ref);
  }
}
