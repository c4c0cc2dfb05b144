import {
  DiagnosisStatus,
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

/** How a diagnosis status reads. */
export const STATUS_LABELS: Record<DiagnosisStatus, string> = {
  open: 'Open',
  acknowledged: 'Acknowledged',
  resolved: 'Resolved',
  rejected: 'Rejected',
};
