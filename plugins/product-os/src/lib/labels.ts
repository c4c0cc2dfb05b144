import {
  DiagnosisStatus,
  IncidentStatus,
  TimelineItemType,
} from '@internal/plugin-product-os-common';

/** Short names of record types (and so of change kinds), for chips. */
export const TYPE_LABELS: Record<TimelineItemType, string> = {
  deployment: 'Deploy',
  pull_request: 'PR',
  release: 'Release',
  commit: 'Commit',
  change: 'Change',
  error_group: 'Error',
  anomaly: 'Anomaly',
  incident: 'Incident',
  diagnosis: 'Diagnosis',
};

/** The sources' names as their vendors write them; an unknown source keeps its id. */
export const SOURCE_LABELS: Record<string, string> = {
  sentry: 'Sentry',
  github: 'GitHub',
  pagerduty: 'PagerDuty',
  posthog: 'PostHog',
};

/** How a diagnosis status reads. */
export const STATUS_LABELS: Record<DiagnosisStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  rejected: 'Rejected',
};

/** How an incident status reads. */
export const INCIDENT_STATUS_LABELS: Record<IncidentStatus, string> = {
  triggered: 'Triggered',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
};

/**
 * A value a source sends as a code word (`success`, `in_progress`, `high`), as a reader says
 * it: "Success", "In progress", "High". For values without a label of their own.
 */
export function readableValue(value: string): string {
  const words = value.replace(/[_-]+/g, ' ').trim();
  return words.charAt(0).toLocaleUpperCase('en-US') + words.slice(1);
}

/** A deployment status or pull request state as it reads in a list. */
export function changeStatusLabel(status: string): string {
  return readableValue(status);
}
