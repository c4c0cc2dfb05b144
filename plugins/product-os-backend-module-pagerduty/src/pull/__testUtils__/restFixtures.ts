import type { RestChangeEvent, RestIncident, RestLogEntry } from '../restTypes';

/*
 * REST API objects shaped like the examples of PagerDuty's API reference (`GET /incidents`,
 * `GET /incidents/{id}/log_entries`, `GET /services/{id}/change_events`).
 */

const HOST = 'https://acme.pagerduty.com';
const API = 'https://api.pagerduty.com';
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

export const userRef = (id: string, name: string) => ({
  id,
  type: 'user_reference',
  summary: name,
  self: `${API}/users/${id}`,
  html_url: `${HOST}/users/${id}`,
});

export const serviceRef = (id: string) => ({
  id,
  type: 'service_reference',
  summary: 'API Service',
  self: `${API}/services/${id}`,
  html_url: `${HOST}/service-directory/${id}`,
});

export function restIncident(options: {
  id: string;
  serviceId: string;
  number?: number;
  title?: string;
  createdAt: number;
  status: 'triggered' | 'acknowledged' | 'resolved';
  statusAt?: number;
  assignees?: Array<[string, string]>;
  acknowledgedAt?: number;
  priority?: string;
  urgency?: 'high' | 'low';
}): RestIncident {
  const statusAt = options.statusAt ?? options.createdAt;
  const resolved = options.status === 'resolved';
  return {
    id: options.id,
    type: 'incident',
    summary: `[#${options.number ?? 1}] ${
      options.title ?? 'The server is on fire.'
    }`,
    self: `${API}/incidents/${options.id}`,
    html_url: `${HOST}/incidents/${options.id}`,
    incident_number: options.number ?? 1,
    title: options.title ?? 'The server is on fire.',
    created_at: iso(options.createdAt),
    updated_at: iso(statusAt),
    status: options.status,
    incident_key: `key-${options.id}`,
    service: serviceRef(options.serviceId),
    // PagerDuty empties the assignments of a resolved incident.
    assignments: resolved
      ? []
      : (options.assignees ?? [['PXPGF42', 'Earline Greenholt']]).map(
          ([id, name]) => ({
            at: iso(options.createdAt),
            assignee: userRef(id, name),
          }),
        ),
    assigned_via: 'escalation_policy',
    last_status_change_at: iso(statusAt),
    // The description types `resolved_at` as a string: it is left out until the incident resolves.
    ...(resolved && { resolved_at: iso(statusAt) }),
    acknowledgements:
      options.status === 'acknowledged'
        ? [
            {
              at: iso(options.acknowledgedAt ?? statusAt),
              acknowledger: userRef('PXPGF42', 'Earline Greenholt'),
            },
          ]
        : [],
    escalation_policy: {
      id: 'PT20YPA',
      type: 'escalation_policy_reference',
      summary: 'Another Escalation Policy',
      self: `${API}/escalation_policies/PT20YPA`,
      html_url: `${HOST}/escalation_policies/PT20YPA`,
    },
    teams: [],
    pending_actions: [],
    alert_counts: {
      all: 1,
      triggered: resolved ? 0 : 1,
      resolved: resolved ? 1 : 0,
    },
    urgency: options.urgency ?? 'high',
    // PagerDuty's answers carry `"priority": null` for an incident without one, which its
    // description (an object) does not allow; such a fixture leaves the field out, as the mapping
    // reads both the same.
    ...(options.priority && {
      priority: {
        id: 'PSO75BM',
        type: 'priority',
        summary: options.priority,
        self: `${API}/priorities/PSO75BM`,
        html_url: null,
        name: options.priority,
        description: '',
      },
    }),
  } as RestIncident;
}

export function restLogEntry(options: {
  id: string;
  incidentId: string;
  serviceId: string;
  type:
    | 'trigger'
    | 'acknowledge'
    | 'resolve'
    | 'escalate'
    | 'annotate'
    | 'notify'
    | 'assign';
  at: number;
  by?: [string, string];
  note?: string;
  assignees?: Array<[string, string]>;
}): RestLogEntry {
  const agent = options.by
    ? userRef(...options.by)
    : { ...serviceRef(options.serviceId) };
  const summaries = {
    trigger: 'Triggered through the API',
    acknowledge: `Acknowledged by ${options.by?.[1] ?? 'the service'}`,
    resolve: `Resolved by ${options.by?.[1] ?? 'the service'}`,
    escalate: 'Escalated to level 2',
    annotate: 'Note added',
    notify: 'Notified Earline Greenholt by SMS',
    assign: 'Assigned',
  };
  return {
    id: options.id,
    type: `${options.type}_log_entry`,
    summary: summaries[options.type],
    self: `${API}/log_entries/${options.id}?incident_id=${options.incidentId}`,
    html_url: `${HOST}/incidents/${options.incidentId}/log_entries/${options.id}`,
    created_at: iso(options.at),
    agent,
    channel:
      options.type === 'annotate'
        ? { type: 'note', summary: options.note ?? '' }
        : { type: 'api' },
    service: serviceRef(options.serviceId),
    incident: {
      id: options.incidentId,
      type: 'incident_reference',
      summary: 'The server is on fire.',
      self: `${API}/incidents/${options.incidentId}`,
      html_url: `${HOST}/incidents/${options.incidentId}`,
    },
    teams: [],
    contexts: [],
    ...(options.note !== undefined && { note: options.note }),
    ...(options.assignees && {
      assignees: options.assignees.map(([id, name]) => userRef(id, name)),
    }),
  } as RestLogEntry;
}

export function restChangeEvent(options: {
  id: string;
  serviceId: string;
  at: number;
  summary: string;
  sha?: string;
}): RestChangeEvent {
  return {
    id: options.id,
    type: 'change_event',
    summary: options.summary,
    timestamp: iso(options.at),
    source: 'acme-build-pipeline-tool-default-i-9999',
    services: [serviceRef(options.serviceId)],
    integration: { id: 'PEYSGVF', type: 'inbound_integration_reference' },
    links: [
      {
        href: 'https://acme.pagerduty.dev/build/2',
        text: 'View more details in Acme!',
      },
    ],
    custom_details: {
      build_state: 'passed',
      ...(options.sha && { sha: options.sha }),
    },
  } as RestChangeEvent;
}
