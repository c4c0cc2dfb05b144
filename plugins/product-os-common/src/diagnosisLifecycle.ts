import type {
  Actionability,
  DiagnosisActionId,
  DiagnosisStatus,
} from './types';

/*
 * The lifecycle of a diagnosis and the actions it offers, defined once for the backend (which
 * enforces them) and the frontend (which offers only what the backend allows).
 */

/** Every status of a diagnosis, in lifecycle order. @public */
export const DIAGNOSIS_STATUSES: readonly DiagnosisStatus[] = [
  'open',
  'acknowledged',
  'resolved',
  'rejected',
];

/** Every actionability of a diagnosis. @public */
export const ACTIONABILITIES: readonly Actionability[] = [
  'collecting',
  'needs_human',
  'actionable',
];

/** A status a person can move a diagnosis to. @public */
export type DiagnosisReviewStatus = Exclude<DiagnosisStatus, 'open'>;

/** Every status a person can move a diagnosis to. @public */
export const DIAGNOSIS_REVIEW_STATUSES: readonly DiagnosisReviewStatus[] = [
  'acknowledged',
  'resolved',
  'rejected',
];

/**
 * The statuses a diagnosis may move to from each status: open → acknowledged → resolved, or
 * rejected; resolved and rejected are final. @public
 */
export const DIAGNOSIS_TRANSITIONS: Readonly<
  Record<DiagnosisStatus, readonly DiagnosisReviewStatus[]>
> = {
  open: ['acknowledged', 'resolved', 'rejected'],
  acknowledged: ['resolved', 'rejected'],
  resolved: [],
  rejected: [],
};

/** The statuses from which a diagnosis may move to `status`. @public */
export function diagnosisStatusesBefore(
  status: DiagnosisReviewStatus,
): DiagnosisStatus[] {
  return DIAGNOSIS_STATUSES.filter(from =>
    DIAGNOSIS_TRANSITIONS[from].includes(status),
  );
}

/** The actions a diagnosis offers. @public */
export const DIAGNOSIS_ACTIONS: readonly DiagnosisActionId[] = [
  'github-issue',
  'pr-comment',
];
