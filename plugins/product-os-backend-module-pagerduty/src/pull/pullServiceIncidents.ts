import {
  PullRequest,
  PullResult,
  VendorApiError,
} from '@internal/plugin-product-os-node';
import { readCursor, writeCursor } from './cursor';
import { mapPulledChangeEvent } from './mapPulledChangeEvent';
import { mapPulledIncident, PulledIncident } from './mapPulledIncident';
import type { PagerDutyClient } from './PagerDutyClient';
import { recordPulledIncident } from './recordPulledIncident';
import type { RestChangeEvent, RestIncident, RestLogEntry } from './restTypes';

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

/**
 * Each run lists again from a little before the last one: an incident or change event PagerDuty
 * had not made visible yet when the last run listed is not missed.
 */
const OVERLAP_MS = 10 * MINUTE_MS;

/**
 * A new incident wakes the agent when it is open or ended within this long: one resolved weeks
 * ago (found by the first back-fill) is history for the agent's baseline, not news.
 */
const NEWS_MS = DAY_MS;

/** The scope of an entity: its service ids, sorted, comma-separated. */
export function serviceIdsOf(scope: string): string[] {
  return scope.split(',').filter(Boolean);
}

/**
 * Pulls the incidents and change events of a scope's PagerDuty services and writes them for
 * every entity of the scope. The first run back-fills `backfillDays`; later runs list incidents
 * created since the last run, those still open, and those that were open at the last run (by
 * id), with their log entries, and the change events since the last run.
 */
export async function pullServiceIncidents(
  client: PagerDutyClient,
  request: PullRequest,
  options: { backfillDays: number },
): Promise<PullResult> {
  const { signal, now } = request;
  const serviceIds = serviceIdsOf(request.scope);
  const previous = readCursor(request.cursor);
  const backfillFrom = now - options.backfillDays * DAY_MS;
  const seen = new Set<string>();
  const open = new Set<string>();
  let items = 0;

  const visit = async (incidents: RestIncident[], known: boolean) => {
    for (const incident of incidents) {
      if (seen.has(incident.id) || !serviceIds.includes(incident.service?.id))
        continue;
      seen.add(incident.id);
      // An incident seen by an earlier run needs only the log entries since then.
      const logSince =
        known && previous ? previous.incidentsAt - OVERLAP_MS : undefined;
      const logEntries = await listLogEntries(
        client,
        incident.id,
        logSince,
        signal,
      );
      const pulled = mapPulledIncident(incident, logEntries);
      if (!pulled) continue;
      if (pulled.incident.status !== 'resolved')
        open.add(pulled.incident.externalId);
      await writeIncident(request, pulled);
      items += 1;
    }
  };

  const createdFrom = previous
    ? Math.max(previous.incidentsAt - OVERLAP_MS, backfillFrom)
    : backfillFrom;
  for await (const page of listIncidentsCreated(
    client,
    serviceIds,
    createdFrom,
    now,
    signal,
  )) {
    await visit(page, false);
  }
  if (previous) {
    for await (const { items: page } of client.pages<RestIncident>(
      '/incidents',
      {
        'service_ids[]': serviceIds,
        'statuses[]': ['triggered', 'acknowledged'],
        date_range: 'all',
        time_zone: 'UTC',
      },
      'incidents',
      signal,
    )) {
      await visit(page, true);
    }
    for (const id of previous.open.filter(openId => !seen.has(openId))) {
      const incident = await getIncident(client, id, signal);
      if (incident) await visit([incident], true);
    }
  }

  const changesFrom = previous
    ? Math.max(previous.changesAt - OVERLAP_MS, backfillFrom)
    : backfillFrom;
  for (const serviceId of serviceIds) {
    for await (const { items: page } of client.pages<RestChangeEvent>(
      `/services/${encodeURIComponent(serviceId)}/change_events`,
      { since: utcSeconds(changesFrom), until: utcSeconds(now) },
      'change_events',
      signal,
    )) {
      items += await writeChangeEvents(request, page);
    }
  }

  return {
    cursor: writeCursor({
      v: 1,
      incidentsAt: now,
      changesAt: now,
      open: [...open],
    }),
    items,
  };
}

/**
 * The incidents created in [from, until], oldest first, a page at a time. Offset pagination ends
 * at 10,000 records, so a longer list goes on from the creation time of the last one listed.
 */
async function* listIncidentsCreated(
  client: PagerDutyClient,
  serviceIds: string[],
  from: number,
  until: number,
  signal: AbortSignal,
): AsyncGenerator<RestIncident[]> {
  for (let since = from; ; ) {
    let last: number | undefined;
    let narrowed = false;
    for await (const page of client.pages<RestIncident>(
      '/incidents',
      {
        'service_ids[]': serviceIds,
        since: utcSeconds(since),
        until: utcSeconds(until),
        sort_by: 'created_at:asc',
        time_zone: 'UTC',
      },
      'incidents',
      signal,
    )) {
      yield page.items;
      const created = Date.parse(
        page.items[page.items.length - 1]?.created_at ?? '',
      );
      if (Number.isFinite(created)) last = created;
      narrowed = page.offsetLimitReached;
    }
    if (!narrowed) return;
    if (last === undefined || last <= since) {
      throw new Error(
        'More than 10,000 PagerDuty incidents were created in the same second',
      );
    }
    since = last;
  }
}

async function listLogEntries(
  client: PagerDutyClient,
  incidentId: string,
  since: number | undefined,
  signal: AbortSignal,
): Promise<RestLogEntry[]> {
  const entries: RestLogEntry[] = [];
  for await (const { items } of client.pages<RestLogEntry>(
    `/incidents/${encodeURIComponent(incidentId)}/log_entries`,
    {
      time_zone: 'UTC',
      ...(since !== undefined && { since: utcSeconds(since) }),
    },
    'log_entries',
    signal,
  )) {
    entries.push(...items);
  }
  return entries;
}

/** An incident by id; undefined when PagerDuty no longer has it (deleted, or merged away). */
async function getIncident(
  client: PagerDutyClient,
  id: string,
  signal: AbortSignal,
): Promise<RestIncident | undefined> {
  try {
    const { incident } = await client.get<{ incident: RestIncident }>(
      `/incidents/${encodeURIComponent(id)}`,
      {},
      signal,
    );
    return incident;
  } catch (error) {
    if (error instanceof VendorApiError && error.status === 404)
      return undefined;
    throw error;
  }
}

async function writeIncident(request: PullRequest, pulled: PulledIncident) {
  const ended = pulled.incident.resolvedAt;
  const isNews = ended === undefined || ended >= request.now - NEWS_MS;
  await request.store.ingest({ source: 'pagerduty' }, async writer => {
    for (const { entityRef } of request.entities) {
      // The host wakes the agent once the transaction commits, as for a webhook's trigger.
      if ((await recordPulledIncident(writer, entityRef, pulled)) && isNews)
        writer.signal(entityRef, 'incident_triggered');
    }
  });
}

async function writeChangeEvents(
  request: PullRequest,
  events: RestChangeEvent[],
): Promise<number> {
  const changes = events.flatMap(event =>
    request.entities.flatMap(({ entityRef }) => {
      const change = mapPulledChangeEvent(event, {
        entityRef,
        pulledAt: request.now,
      });
      return change ? [change] : [];
    }),
  );
  if (changes.length === 0) return 0;
  await request.store.ingest({ source: 'pagerduty' }, writer =>
    writer.upsertChangeEvents(changes),
  );
  return changes.length / Math.max(1, request.entities.length);
}

/** A time as PagerDuty's `since`/`until` want it: UTC, whole seconds (`2026-12-02T09:00:00Z`). */
function utcSeconds(ms: number): string {
  return new Date(Math.floor(ms / 1000) * 1000)
    .toISOString()
    .replace('.000Z', 'Z');
}
