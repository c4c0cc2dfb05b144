import type { DiagnosisImpact } from '@internal/plugin-product-os-common';
import { clockTime, times } from '../detect/hourly';
import type { Research } from '../research/researchAnomaly';
import { formatDuration } from '../research/features/timing';
import type {
  EntityContext,
  RankedSuspect,
  Signal,
  SignalDeployment,
} from '../types';
import type { TextPart } from '../../database/anomalies/DiagnosisStore';
import { candidateLabel, entityName } from './describeChange';
import { about, HIDDEN_CHANGE, plain, renderParts } from './textParts';

/** Which signal leads the summary when several merged. */
const LEAD_ORDER = [
  'error_spike',
  'new_error_group',
  'regression',
  'incident',
  'metric_drop',
];

/**
 * The plain-language summary, built deterministically from the evidence: what happened and
 * when, the named suspect with the evidence that stands out (or why none could be named), and
 * the impact so far. For example: "Errors in checkout-api rose 14× at 03:14 UTC, 4 minutes
 * after deploy a1b2c3d (PR #812 by dana), which changed 2 of the 3 top frames' files."
 */
export function summarize(options: SummarizeOptions): string {
  return renderParts(summarizeParts(options));
}

export interface SummarizeOptions {
  research: Research;
  entity: EntityContext;
  suspect?: RankedSuspect;
  impact: DiagnosisImpact;
  lookbackMs: number;
}

/**
 * The summary in parts: a suspect or likeliest candidate of a dependency is a part of its own,
 * with what to say instead to a reader who may not see that dependency.
 */
export function summarizeParts(options: SummarizeOptions): TextPart[] {
  const { research, entity, suspect, impact } = options;
  const parts = [plain(headline(research, entity.name))];
  if (suspect) {
    const { candidate } = suspect;
    parts.push(
      about(
        candidate.upstream ? candidate.entityRef : undefined,
        `, ${suspectClause(suspect)}`,
        `, after ${HIDDEN_CHANGE}`,
      ),
      plain('.'),
    );
  } else {
    parts.push(
      plain('. '),
      notEnoughEvidence(research, entity, options.lookbackMs),
    );
  }
  const impactSentence = describeImpact(impact);
  if (impactSentence) parts.push(plain(` ${impactSentence}`));
  return parts;
}

function headline(research: Research, name: string): string {
  const { details, anomaly } = research;
  const lead = [...details.signals].sort(
    (a, b) =>
      LEAD_ORDER.indexOf(a.kind) - LEAD_ORDER.indexOf(b.kind) ||
      (a.scope === 'entity' ? -1 : 0) - (b.scope === 'entity' ? -1 : 0) ||
      b.score - a.score,
  )[0];
  const at = onsetLabel(anomaly.onsetAt, details.onsetUncertaintyMs);
  const others = details.signals
    .filter(s => s !== lead && s.kind !== lead?.kind)
    .map(s => alsoClause(s));
  const also = others.length ? ` (${[...new Set(others)].join('; ')})` : '';
  if (!lead) return `Something changed in ${name} ${at}`;
  const title = (s: Signal) =>
    research.groups.find(g => g.group.id === s.groups?.[0]?.id)?.group.title ??
    'an error';
  switch (lead.kind) {
    case 'error_spike':
      return `Errors in ${name} rose ${times(anomaly.magnitude)} ${at}${also}`;
    case 'new_error_group':
      return `A new error "${title(lead)}" appeared in ${name} ${at}${also}`;
    case 'regression':
      return `A resolved error "${title(
        lead,
      )}" came back in ${name} ${at}${also}`;
    case 'incident':
      return `Incident "${lead.incident?.title}" was triggered for ${name} ${at}${also}`;
    default:
      return `${lead.metric?.key} in ${name} fell ${Math.round(
        -lead.magnitude * 100,
      )}% ${
        lead.afterDeployment ? heartbeatLabel(lead.afterDeployment) : at
      }${also}`;
  }
}

/** `in the first hour after deployment a1b2c3d went live at 14:05 UTC`. */
function heartbeatLabel(deployment: SignalDeployment): string {
  return `in the first hour after deployment ${
    deployment.sha ?? `#${deployment.changeId}`
  } went live at ${clockTime(deployment.liveUntil)}`;
}

function alsoClause(signal: Signal): string {
  switch (signal.kind) {
    case 'incident':
      return `an incident was triggered`;
    case 'metric_drop':
      return `${signal.metric?.key} fell ${Math.round(
        -signal.magnitude * 100,
      )}%`;
    case 'new_error_group':
      return 'new errors appeared';
    case 'regression':
      return 'a resolved error came back';
    default:
      return `errors rose ${times(signal.magnitude)}`;
  }
}

/** `at 03:14 UTC` for an onset known to the minute, `from 03:00 UTC` for one known to the hour. */
function onsetLabel(onsetAt: number, uncertaintyMs: number): string {
  return uncertaintyMs <= 15 * 60_000
    ? `at ${clockTime(onsetAt + uncertaintyMs)}`
    : `from ${clockTime(onsetAt)}`;
}

function suspectClause(suspect: RankedSuspect): string {
  const { candidate } = suspect;
  const timing = suspect.features.find(f => f.name === 'timing')!;
  const minutes = Number(timing.facts.minutesBeforeOnset ?? 0);
  const label = candidateLabel(candidate);
  const where = candidate.upstream
    ? ` of ${entityName(candidate.entityRef)}, a dependency,`
    : '';
  // A deployment went live when it finished rolling out, not when it started.
  let when = `as ${label}${where} went live (${clockTime(
    candidate.liveUntil,
  )})`;
  if (timing.facts.stillRollingOut)
    when = `while ${label}${where} was still rolling out (started ${clockTime(
      candidate.liveAt,
    )})`;
  else if (minutes > 0)
    when = `${formatDuration(minutes * 60_000)} after ${label}${where}`;
  const standout = strongestEvidence(suspect);
  const confidence = ` (confidence ${Math.round(suspect.confidence * 100)}%)`;
  return `${when}${standout ? `, which ${standout}` : ''}${confidence}`;
}

/** The clause for the feature (other than timing) that contributed most, if any did. */
function strongestEvidence(suspect: RankedSuspect): string | undefined {
  const best = suspect.features
    .filter(f => f.name !== 'timing' && f.name !== 'size' && f.value > 0.05)
    .sort((a, b) => b.value - a.value)[0];
  if (!best) return undefined;
  if (best.name === 'code_overlap' && Number(best.facts.topFramesMatched) > 0) {
    return `changed ${best.facts.topFramesMatched} of the ${best.facts.topFramesCompared} top frames' files`;
  }
  if (best.name === 'code_overlap') return best.description;
  if (best.name === 'release_match')
    return `is the release the errors were first seen in (${best.facts.release})`;
  return `preceded ${best.facts.newGroupsAfter} new error group${
    best.facts.newGroupsAfter === 1 ? '' : 's'
  }`;
}

function notEnoughEvidence(
  research: Research,
  entity: EntityContext,
  lookbackMs: number,
): TextPart {
  const top = research.suspects[0];
  if (!top) {
    const scope = entity.dependsOn.length
      ? `${entity.name} or its dependencies`
      : entity.name;
    return plain(
      `Not enough evidence to name a change: no change of ${scope} went live in the ${formatDuration(
        lookbackMs,
      )} before.`,
    );
  }
  const timing = top.features.find(f => f.name === 'timing')!;
  const overlap = top.features.find(f => f.name === 'code_overlap')!;
  const confidence = `(confidence ${Math.round(top.confidence * 100)}%)`;
  return about(
    top.candidate.upstream ? top.candidate.entityRef : undefined,
    `Not enough evidence to name a change: the likeliest of ${
      research.candidateCount
    }, ${candidateLabel(top.candidate)}, ${timing.description} and ${
      overlap.description
    } ${confidence}.`,
    `Not enough evidence to name a change: the likeliest of ${research.candidateCount} is ${HIDDEN_CHANGE} ${confidence}.`,
  );
}

function describeImpact(impact: DiagnosisImpact): string | undefined {
  const parts: string[] = [];
  if (impact.events) {
    parts.push(
      `${impact.events} error events${
        impact.affectedUsers
          ? ` affecting up to ${impact.affectedUsers} users`
          : ''
      } since the onset`,
    );
  }
  for (const metric of impact.metrics ?? []) {
    parts.push(
      `${metric.metric} ${Math.round(
        -metric.change * 100,
      )}% below its usual level`,
    );
  }
  if (impact.incident)
    parts.push(
      `incident "${impact.incident.title}" is ${impact.incident.status}`,
    );
  if (parts.length === 0) return undefined;
  const text = parts.join('; ');
  return `Impact: ${text}.`;
}
