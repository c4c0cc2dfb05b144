import { Knex } from 'knex';
import type {
  IncidentInput,
  IncidentTimelineInput,
  IngestWriter,
} from '@internal/plugin-product-os-node';
import type { SourceId } from '@internal/plugin-product-os-common';
import { fitIncident, fitIncidentKey, fitTimelineEntry } from '../fitInputs';
import { num, Row } from '../rowValues';
import { chunk } from '../sql';
import { toIncidentRecord } from './incidentRows';

/** The incident writes of one delivery, inside the transaction `tx`. */
export class IncidentIngest
  implements
    Pick<
      IngestWriter,
      'findIncidents' | 'findIncidentTimeline' | 'upsertIncident'
    >
{
  constructor(private readonly tx: Knex.Transaction) {}

  async findIncidents(input: {
    source: SourceId;
    externalId: string;
    entityRef?: string;
  }): Promise<IncidentInput[]> {
    const key = fitIncidentKey(input);
    const rows: Row[] = await this.tx('incidents')
      .where({ source: key.source, external_id: key.externalId })
      .modify(query => {
        if (key.entityRef !== undefined) {
          query.where('entity_ref', key.entityRef);
        }
      })
      .orderBy('id');
    return rows.map(row => {
      const { id, ...incident } = toIncidentRecord(row);
      return incident;
    });
  }

  async findIncidentTimeline(input: {
    source: SourceId;
    externalId: string;
    entityRef: string;
  }): Promise<IncidentTimelineInput[]> {
    const key = fitIncidentKey(input);
    const rows: Row[] = await this.tx('incident_events')
      .join('incidents', 'incidents.id', 'incident_events.incident_id')
      .where({
        'incidents.entity_ref': key.entityRef,
        'incidents.source': key.source,
        'incidents.external_id': key.externalId,
      })
      .select(
        'incident_events.external_id',
        'incident_events.type',
        'incident_events.message',
        'incident_events.actor',
        'incident_events.occurred_at',
      )
      .orderBy([
        { column: 'incident_events.occurred_at', order: 'asc' },
        { column: 'incident_events.id', order: 'asc' },
      ]);
    return rows.map(row => ({
      externalId: row.external_id,
      type: row.type,
      message: row.message,
      actor: row.actor ?? undefined,
      occurredAt: num(row.occurred_at),
    }));
  }

  async upsertIncident(
    input: IncidentInput,
    entries: IncidentTimelineInput[] = [],
  ): Promise<void> {
    const incident = fitIncident(input);
    const timeline = entries.map(fitTimelineEntry);
    const [row] = await this.tx('incidents')
      .insert({
        entity_ref: incident.entityRef,
        source: incident.source,
        external_id: incident.externalId,
        title: incident.title,
        urgency: incident.urgency ?? null,
        priority: incident.priority ?? null,
        status: incident.status,
        created_at: incident.createdAt,
        acknowledged_at: incident.acknowledgedAt ?? null,
        resolved_at: incident.resolvedAt ?? null,
        assignees: JSON.stringify(incident.assignees ?? []),
        url: incident.url ?? null,
      })
      .onConflict(['entity_ref', 'source', 'external_id'])
      .merge({
        title: incident.title,
        status: incident.status,
        ...(incident.urgency !== undefined && { urgency: incident.urgency }),
        ...(incident.priority !== undefined && { priority: incident.priority }),
        ...(incident.acknowledgedAt !== undefined && {
          acknowledged_at: incident.acknowledgedAt,
        }),
        ...(incident.resolvedAt !== undefined && {
          resolved_at: incident.resolvedAt,
        }),
        ...(incident.assignees !== undefined && {
          assignees: JSON.stringify(incident.assignees),
        }),
        ...(incident.url !== undefined && { url: incident.url }),
      })
      .returning(['id']);
    const incidentId = num(row.id);
    for (const part of chunk(timeline, 6)) {
      await this.tx('incident_events')
        .insert(
          part.map(entry => ({
            incident_id: incidentId,
            external_id: entry.externalId,
            type: entry.type,
            message: entry.message,
            actor: entry.actor ?? null,
            occurred_at: entry.occurredAt,
          })),
        )
        .onConflict(['incident_id', 'external_id'])
        .ignore();
    }
  }
}
