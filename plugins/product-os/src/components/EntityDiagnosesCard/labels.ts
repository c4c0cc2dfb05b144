import {
  Actionability,
  DIAGNOSIS_TRANSITIONS,
  DiagnosisActionId,
  DiagnosisReviewStatus,
  DiagnosisStatus,
} from '@internal/plugin-product-os-common';

export const ACTIONABILITY_LABELS: Record<Actionability, string> = {
  collecting: 'Collecting evidence',
  needs_human: 'Needs a human',
  actionable: 'Actionable',
};

/** The verb on the button that moves a diagnosis to a status. */
export const REVIEW_VERBS: Record<DiagnosisReviewStatus, string> = {
  acknowledged: 'Acknowledge',
  resolved: 'Resolve',
  rejected: 'Reject',
};

/** The statuses a person can move a diagnosis to from its current one. */
export function nextReviewStatuses(
  status: DiagnosisStatus,
): readonly DiagnosisReviewStatus[] {
  return DIAGNOSIS_TRANSITIONS[status];
}

export const ACTION_LABELS: Record<DiagnosisActionId, string> = {
  'github-issue': 'Open GitHub issue',
  'pr-comment': 'Comment on pull request',
};
