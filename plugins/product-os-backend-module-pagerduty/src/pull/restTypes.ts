import type { PagerDutyReference } from '../webhooks/types';

/*
 * The parts of PagerDuty's REST API v2 answers that the pull reads
 * (https://developer.pagerduty.com/api-reference/, `openapiv3.json` of PagerDuty/api-schema).
 */

/** An incident of `GET /incidents` or `GET /incidents/{id}`. */
export interface RestIncident {
  id: string;
  incident_number?: number;
  title?: string;
  created_at: string;
  updated_at?: string;
  status: string;
  urgency?: string;
  html_url?: string;
  service: PagerDutyReference;
  /** Empty once the incident is resolved. */
  assignments?: { at: string; assignee: PagerDutyReference }[];
  acknowledgements?: { at: string; acknowledger: PagerDutyReference }[];
  escalation_policy?: PagerDutyReference;
  priority?: PagerDutyReference | null;
  last_status_change_at?: string;
  resolved_at?: string | null;
}

/** An entry of `GET /incidents/{id}/log_entries`. */
export interface RestLogEntry {
  id: string;
  type: string;
  summary?: string | null;
  created_at: string;
  agent?: PagerDutyReference | null;
  channel?: { type: string; summary?: string };
  note?: string;
  assignees?: PagerDutyReference[];
}

/** A change event of `GET /services/{id}/change_events`. */
export interface RestChangeEvent {
  id: string;
  summary?: string;
  timestamp?: string;
  source?: string;
  links?: { href?: string; text?: string }[];
  custom_details?: Record<string, unknown> | null;
}

/** The offset pagination fields of a list answer. */
export interface OffsetPage {
  offset?: number;
  limit?: number;
  more?: boolean;
  total?: number | null;
}
