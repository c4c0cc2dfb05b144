/*
 * The parts of a PagerDuty V3 webhook that Product OS reads
 * (https://developer.pagerduty.com/docs/webhooks-overview).
 */

/** A reference to another PagerDuty object: a user, a service, a priority. */
export interface PagerDutyReference {
  id: string;
  type?: string;
  summary?: string | null;
  html_url?: string | null;
}

/** `event.data` of the incident events (`data.type` is `incident`). */
export interface WebhookIncident {
  id: string;
  type: 'incident';
  html_url?: string;
  number?: number;
  status: string;
  created_at?: string;
  title?: string;
  service: PagerDutyReference;
  assignees?: PagerDutyReference[];
  escalation_policy?: PagerDutyReference;
  priority?: PagerDutyReference | null;
  urgency?: string;
  resolve_reason?: unknown;
}

/** One V3 webhook: a single outbound event. */
export interface WebhookEvent {
  id: string;
  event_type: string;
  resource_type?: string;
  occurred_at: string;
  agent?: PagerDutyReference | null;
  data: unknown;
}
