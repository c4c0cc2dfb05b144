/*
 * V3 webhook bodies shaped like the examples in PagerDuty's developer documentation
 * (https://developer.pagerduty.com/docs/webhooks-overview): the `incident` data of an
 * `incident.priority_updated` event, and the `incident_note` of an `incident.annotated` event.
 */

const user = (id: string, name: string) => ({
  html_url: `https://acme.pagerduty.com/users/${id}`,
  id,
  self: `https://api.pagerduty.com/users/${id}`,
  summary: name,
  type: 'user_reference',
});

export function incidentWebhook(options: {
  eventId: string;
  eventType: string;
  occurredAt: number;
  incidentId: string;
  serviceId: string;
  status: 'triggered' | 'acknowledged' | 'resolved';
  createdAt: number;
  title?: string;
  priority?: string | null;
  assignees?: Array<[string, string]>;
}) {
  return {
    event: {
      id: options.eventId,
      event_type: options.eventType,
      resource_type: 'incident',
      occurred_at: new Date(options.occurredAt).toISOString(),
      agent: user('PLH1HKV', 'Tenex Engineer'),
      client: { name: 'PagerDuty' },
      data: {
        id: options.incidentId,
        type: 'incident',
        self: `https://api.pagerduty.com/incidents/${options.incidentId}`,
        html_url: `https://acme.pagerduty.com/incidents/${options.incidentId}`,
        number: 2,
        status: options.status,
        incident_key: 'd3640fbd41094207a1c11e58e46b1662',
        created_at: new Date(options.createdAt).toISOString(),
        title: options.title ?? 'A little bump in the road',
        service: {
          html_url: `https://acme.pagerduty.com/services/${options.serviceId}`,
          id: options.serviceId,
          self: `https://api.pagerduty.com/services/${options.serviceId}`,
          summary: 'API Service',
          type: 'service_reference',
        },
        assignees: (options.assignees ?? [['PTUXL6G', 'User 123']]).map(
          ([id, name]) => user(id, name),
        ),
        escalation_policy: {
          html_url: 'https://acme.pagerduty.com/escalation_policies/PUS0KTE',
          id: 'PUS0KTE',
          self: 'https://api.pagerduty.com/escalation_policies/PUS0KTE',
          summary: 'Default',
          type: 'escalation_policy_reference',
        },
        teams: [
          {
            html_url: 'https://acme.pagerduty.com/teams/PFCVPS0',
            id: 'PFCVPS0',
            self: 'https://api.pagerduty.com/teams/PFCVPS0',
            summary: 'Engineering',
            type: 'team_reference',
          },
        ],
        priority:
          options.priority === null
            ? null
            : {
                html_url:
                  'https://acme.pagerduty.com/account/incident_priorities',
                id: 'PSO75BM',
                self: 'https://api.pagerduty.com/priorities/PSO75BM',
                summary: options.priority ?? 'P1',
                type: 'priority_reference',
              },
        urgency: 'high',
        conference_bridge: {
          conference_number: '+1 1234123412,,987654321#',
          conference_url: 'https://example.com',
        },
        resolve_reason: null,
      },
    },
  };
}

export function noteWebhook(options: {
  eventId: string;
  occurredAt: number;
  incidentId: string;
  content: string;
}) {
  return {
    event: {
      id: options.eventId,
      event_type: 'incident.annotated',
      resource_type: 'incident',
      occurred_at: new Date(options.occurredAt).toISOString(),
      agent: user('PLH1HKV', 'Tenex Engineer'),
      client: null,
      data: {
        incident: {
          html_url: `https://acme.pagerduty.com/incidents/${options.incidentId}`,
          id: options.incidentId,
          self: `https://api.pagerduty.com/incidents/${options.incidentId}`,
          summary: 'A little bump in the road',
          type: 'incident_reference',
        },
        id: 'P2LA89X',
        content: options.content,
        trimmed: false,
        type: 'incident_note',
      },
    },
  };
}
