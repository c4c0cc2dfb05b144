import { formatCount, formatPercent, formatSpan } from './format';
import type { Diagnosis, Evidence, Suspect } from './types';

/**
 * The four lines an on-call reads first, taken from a diagnosis's structured parts (its
 * anomaly evidence, its named suspect and that suspect's timing), not from its summary
 * sentence, which stays the detail. The entity tab shows them; a notification's title is made of
 * the first two. @public
 */
export interface CaseLines {
  /** What broke and how much: "A new error in checkout-api: 38 events, up to 38 users". */
  what: string;
  /** When it began (epoch ms), when the anomaly's evidence says. */
  since?: number;
  /** The likely cause, or why none is named. */
  cause: string;
  causeUrl?: string;
  nextStep?: string;
  /** "High (82%)" */
  confidence: string;
}

/** The order in which a merged anomaly's signals lead, as the agent's own summary has it. */
const LEAD_ORDER = [
  'error_spike',
  'new_error_group',
  'regression',
  'incident',
  'metric_drop',
];

/** `checkout-api` from `component:default/checkout-api`. @public */
export function entityName(entityRef: string): string {
  return entityRef.replace(/^[^:]*:/, '').replace(/^default\//, '');
}

/** A confidence in words, with its number: the calibrated bands people act on. @public */
export function describeConfidence(confidence: number): string {
  let words = 'Low';
  if (confidence >= 0.8) words = 'High';
  else if (confidence >= 0.5) words = 'Medium';
  return `${words} (${formatPercent(confidence)})`;
}

function times(magnitude: number): string {
  return magnitude >= 10
    ? `${Math.round(magnitude)}×`
    : `${Math.round(magnitude * 10) / 10}×`;
}

function leadSignal(diagnosis: Diagnosis): Evidence | undefined {
  return diagnosis.evidence
    .filter(e => LEAD_ORDER.includes(e.kind))
    .sort((a, b) => LEAD_ORDER.indexOf(a.kind) - LEAD_ORDER.indexOf(b.kind))[0];
}

function whatBroke(diagnosis: Diagnosis, lead?: Evidence): string {
  const name = entityName(diagnosis.entityRef);
  const magnitude = Number(lead?.facts?.magnitude ?? 0);
  const metric = diagnosis.impact?.metrics?.[0];
  let what: string;
  switch (lead?.kind) {
    case 'error_spike':
      what =
        magnitude > 0
          ? `Errors in ${name} up ${times(magnitude)}`
          : `Errors in ${name} rose`;
      break;
    case 'new_error_group':
      what = `A new error in ${name}`;
      break;
    case 'regression':
      what = `A resolved error came back in ${name}`;
      break;
    case 'incident':
      what = `An incident was triggered for ${name}`;
      break;
    case 'metric_drop':
      what = metric
        ? `${metric.metric} in ${name} down ${Math.round(
            -metric.change * 100,
          )}%`
        : `A key metric of ${name} fell`;
      break;
    default:
      // A diagnosis written before the agent kept its signals as evidence: its summary is all
      // there is to say what happened.
      return diagnosis.summary;
  }
  const impact = diagnosis.impact;
  const amounts = [
    impact?.events ? `${formatCount(impact.events)} error events` : undefined,
    impact?.affectedUsers
      ? `up to ${formatCount(impact.affectedUsers)} users`
      : undefined,
  ].filter(Boolean);
  return amounts.length ? `${what}: ${amounts.join(', ')}` : what;
}

/** `Deploy 70ca733`, `PR #812`: how a change is named in one line. @public */
export function changeName(change: Suspect['change']): string {
  switch (change.kind) {
    case 'deployment':
      return `Deploy ${
        change.sha ? change.sha.slice(0, 7) : change.externalId
      }`;
    case 'pull_request':
      return change.number !== undefined
        ? `PR #${change.number}`
        : change.title;
    case 'commit':
      return `Commit ${(change.sha ?? change.externalId).slice(0, 7)}`;
    case 'release':
      return `Release ${change.title}`;
    default:
      return change.title;
  }
}

/**
 * The pull request behind a deploy, as far as the diagnosis shows it: its number from the
 * evidence that links it (code overlap links the PR) or from the next step ("revert PR #812"),
 * and its author, whom the agent names as the first reviewer.
 */
function pullRequestBehind(
  diagnosis: Diagnosis,
  suspect: Suspect,
): string | undefined {
  const number =
    suspect.evidence
      .map(e => e.url?.match(/\/pull\/(\d+)/)?.[1])
      .find(Boolean) ?? diagnosis.nextStep?.match(/\bPR #(\d+)/)?.[1];
  if (!number) return undefined;
  const author = diagnosis.reviewers[0];
  // Owners are entity refs; the author is the one reviewer who is a plain login.
  const byAuthor =
    author && !author.includes(':') && author !== diagnosis.owner
      ? ` by ${author}`
      : '';
  return `PR #${number}${byAuthor}`;
}

function timingOf(suspect: Suspect): string | undefined {
  const timing = suspect.evidence.find(e => e.kind === 'timing');
  const minutes = timing?.facts?.minutesBeforeOnset;
  if (typeof minutes !== 'number') return undefined;
  return minutes <= 0
    ? 'went live as the trouble began'
    : `went live ${formatSpan(minutes * 60_000)} before the trouble began`;
}

/** Said for a likely cause that is a change of an entity the reader may not see. @public */
export const HIDDEN_CAUSE =
  'A change in a dependency you cannot see (ask its owners)';

function likelyCause(diagnosis: Diagnosis): { text: string; url?: string } {
  const suspect = [...diagnosis.suspects].sort((a, b) => a.rank - b.rank)[0];
  if (
    diagnosis.verdict === 'not_enough_evidence' ||
    (!suspect && !diagnosis.hiddenTopSuspect)
  ) {
    return { text: 'No change stands out: not enough evidence to name one' };
  }
  // The suspects left are ranked below the hidden one: naming the next would be wrong.
  if (diagnosis.hiddenTopSuspect) return { text: HIDDEN_CAUSE };
  const { change } = suspect;
  const own = change.entityRef === diagnosis.entityRef;
  const service = `in ${entityName(change.entityRef)}${
    own ? '' : ', a dependency'
  }`;
  let label: string;
  if (change.kind === 'pull_request') {
    label = `${changeName(change)}${
      change.author ? ` by ${change.author}` : ''
    }`;
  } else {
    const pr = pullRequestBehind(diagnosis, suspect);
    label = `${changeName(change)}${pr ? ` (${pr})` : ''}`;
  }
  label = `${label} ${service}`;
  const timing = timingOf(suspect);
  return {
    text: timing ? `${label}, ${timing}` : label,
    url: suspect.change.url,
  };
}

/** The four lines of a diagnosis. @public */
export function caseLines(diagnosis: Diagnosis): CaseLines {
  const lead = leadSignal(diagnosis);
  const onset = lead?.facts?.onsetAt;
  const cause = likelyCause(diagnosis);
  return {
    what: whatBroke(diagnosis, lead),
    since: typeof onset === 'string' ? Date.parse(onset) : undefined,
    cause: cause.text,
    causeUrl: cause.url,
    nextStep: diagnosis.nextStep,
    confidence: describeConfidence(diagnosis.confidence),
  };
}
