import { parseEntityRef } from '@backstage/catalog-model';
import type { NotificationPayload } from '@backstage/plugin-notifications-common';
import { caseLines, type Diagnosis } from '@internal/plugin-product-os-common';
import { severityOf } from './notificationRules';

/** The topic users can mute Product OS notifications by, in their notification settings. */
export const NOTIFICATION_TOPIC = 'product-os';

/** Titles are cut here: the notification list shows one line, an email its subject. */
const MAX_TITLE = 200;

const STATUS_PREFIX: Record<Diagnosis['status'], string> = {
  open: '',
  acknowledged: 'Acknowledged: ',
  resolved: 'Resolved: ',
  rejected: 'Rejected: ',
};

/**
 * The scope that makes one notification per case: the notifications backend updates the
 * notification of the same scope (and sender) instead of adding one, so a diagnosis rewritten in
 * place, researched again or reviewed updates what its owners already have.
 */
export function notificationScope(diagnosis: Diagnosis): string {
  const subject =
    diagnosis.anomalyId !== undefined
      ? `anomaly:${diagnosis.anomalyId}`
      : `diagnosis:${diagnosis.id}`;
  return `product-os:${diagnosis.entityRef}:${subject}`;
}

/** The entity's Product OS tab, at the diagnosis's row. */
export function diagnosisLink(diagnosis: Diagnosis): string {
  const { kind, namespace, name } = parseEntityRef(diagnosis.entityRef);
  return `/catalog/${encodeURIComponent(namespace)}/${encodeURIComponent(
    kind.toLocaleLowerCase('en-US'),
  )}/${encodeURIComponent(name)}/product-os#product-os-diagnosis-${
    diagnosis.id
  }`;
}

/**
 * The notification of a diagnosis: titled with the first two of the lines the entity tab leads
 * with (what broke, the likely cause), its status in front once a person has reviewed it; the
 * next step and the confidence as the description; the severity from the diagnosis.
 *
 * `diagnosis` must already be as every owner may see it (see `DiagnosisNotifier`); when its top
 * suspect was taken out, `causeHidden` says so and the cause is not named.
 */
export function diagnosisNotification(
  diagnosis: Diagnosis,
  options: { causeHidden: boolean },
): NotificationPayload {
  const lines = caseLines(diagnosis);
  let cause = `Likely cause: ${lines.cause}`;
  if (options.causeHidden)
    cause = 'Likely cause: a change in a dependency (see the case file)';
  else if (diagnosis.verdict !== 'suspect') cause = lines.cause;
  const title = truncate(
    `${STATUS_PREFIX[diagnosis.status]}${lines.what}. ${cause}`,
    MAX_TITLE,
  );
  // The next step is rendered without what the owners may not see, like the rest.
  const description = [
    lines.nextStep ? `Next step: ${sentence(lines.nextStep)}` : undefined,
    `Confidence: ${lines.confidence}.`,
  ]
    .filter(Boolean)
    .join(' ');
  return {
    title,
    description,
    link: diagnosisLink(diagnosis),
    severity: severityOf(diagnosis),
    topic: NOTIFICATION_TOPIC,
    scope: notificationScope(diagnosis),
  };
}

function sentence(text: string): string {
  return /[.!?]$/.test(text) ? text : `${text}.`;
}

function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}
