import type { Diagnosis } from '@internal/plugin-product-os-common';
import type { NotificationsConfig } from '../config';
import {
  ANOMALY_KINDS,
  NOTIFICATION_SEVERITIES,
  type NotificationSeverity,
} from './notificationKinds';

/**
 * How urgent a diagnosis is for the people who own its entity:
 * - `critical`: an incident linked to it is still open (someone has been paged);
 * - `high`: it names a change to undo (`actionable`);
 * - `normal`: it needs a person's decision (`needs_human`);
 * - `low`: the agent is still collecting evidence, or a person has resolved or rejected it.
 */
export function severityOf(diagnosis: Diagnosis): NotificationSeverity {
  if (diagnosis.status === 'resolved' || diagnosis.status === 'rejected')
    return 'low';
  const incident = diagnosis.impact?.incident;
  if (incident && incident.status !== 'resolved') return 'critical';
  if (diagnosis.actionability === 'actionable') return 'high';
  if (diagnosis.actionability === 'needs_human') return 'normal';
  return 'low';
}

/** Whether `severity` is at least `min`. */
export function atLeast(
  severity: NotificationSeverity,
  min: NotificationSeverity,
): boolean {
  return (
    NOTIFICATION_SEVERITIES.indexOf(severity) <=
    NOTIFICATION_SEVERITIES.indexOf(min)
  );
}

/** The kinds of trouble the diagnosis explains, from the anomaly's signals in its evidence. */
export function troubleKinds(diagnosis: Diagnosis): string[] {
  return [
    ...new Set(
      diagnosis.evidence
        .map(e => e.kind)
        .filter(kind => ANOMALY_KINDS.includes(kind)),
    ),
  ];
}

/**
 * Whether a diagnosis is worth a first notification to its owners: open, severe and confident
 * enough, about a kind of trouble the config names, and naming a change unless the config asks
 * for "not enough evidence" too. (Once sent, a notification follows its diagnosis whatever it
 * becomes, so this only decides the first one.)
 */
export function worthNotifying(
  diagnosis: Diagnosis,
  config: NotificationsConfig,
): boolean {
  if (diagnosis.status !== 'open') return false;
  if (!atLeast(severityOf(diagnosis), config.minSeverity)) return false;
  const kinds = troubleKinds(diagnosis);
  // A diagnosis written before the agent kept its signals as evidence has no kinds to judge.
  if (kinds.length > 0 && !kinds.some(k => config.anomalyKinds.includes(k)))
    return false;
  if (diagnosis.verdict === 'not_enough_evidence')
    return config.notEnoughEvidence;
  return diagnosis.confidence >= config.minConfidence;
}
