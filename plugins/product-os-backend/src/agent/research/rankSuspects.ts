import type {
  Candidate,
  FeatureName,
  FeatureValue,
  RankedSuspect,
} from '../types';
import { calibrate } from './calibrate';
import type { CalibrationInput, CalibrationModel } from './calibrationTypes';
import { codeOverlap } from './features/codeOverlap';
import {
  FeatureContext,
  indexFiles,
  liveTimesByEntity,
} from './features/context';
import { novelty } from './features/novelty';
import { releaseMatch } from './features/releaseMatch';
import { size } from './features/size';
import { timing } from './features/timing';

/**
 * How much each feature counts. Set by judgement, not fitted: a stack frame in a changed file is
 * the strongest evidence there is; timing is what every change near the onset shares; release
 * match and novelty mostly restate timing (the release an error is first seen in is the one
 * running then, which contains every earlier change too), so they count less; size only breaks
 * ties.
 */
export const FEATURE_WEIGHTS: Record<FeatureName, number> = {
  timing: 2,
  code_overlap: 3,
  release_match: 1,
  novelty: 0.5,
  size: 0.3,
};

/**
 * Before any evidence: a dependency's change is less likely than the entity's own unless the
 * dependency is in trouble too (its own errors, or the entity's failed calls to it); a lone commit is a little less
 * likely than a deployment or a merged pull request; an operational change event (a flag, a
 * config push) is as likely as a deployment.
 */
export function prior(candidate: Candidate, context: FeatureContext): number {
  let value = 0;
  if (candidate.upstream) {
    const troubled =
      (context.dependencyGroups.get(candidate.entityRef)?.length ?? 0) > 0 ||
      (context.newGroups.get(candidate.entityRef)?.length ?? 0) > 0 ||
      (context.dependencyCalls.shares.get(candidate.entityRef) ?? 0) > 0;
    value -= troubled ? 0.3 : 1;
  }
  // A flag flip or a config push breaks things as often as a deployment does; a lone commit
  // may never have been deployed.
  if (candidate.change.kind === 'commit') value -= 0.2;
  return value;
}

const FEATURES: ((
  candidate: Candidate,
  context: FeatureContext,
) => FeatureValue)[] = [
  timing,
  codeOverlap,
  releaseMatch,
  novelty,
  candidate => size(candidate),
];

/**
 * Scores every candidate by its features, best first, with calibrated confidences. The pull
 * request a deployment is presented with becomes the one whose files best match the frames.
 */
export function rankSuspects(
  candidates: Candidate[],
  context: Omit<
    FeatureContext,
    'candidates' | 'positions' | 'files' | 'liveTimes'
  >,
  model?: CalibrationModel,
): RankedSuspect[] {
  const full: FeatureContext = {
    ...context,
    candidates,
    positions: new Map(candidates.map((c, i) => [c, i])),
    files: indexFiles(candidates),
    liveTimes: liveTimesByEntity(candidates),
  };
  const scored = candidates.map(candidate => {
    const features = FEATURES.map(feature => feature(candidate, full));
    const score = scoreOf(features) + prior(candidate, full);
    const bestChangeId = features.find(f => f.name === 'code_overlap')?.facts
      .bestChangeId;
    const explaining = candidate.includes.find(
      c => c.id === bestChangeId && c.kind === 'pull_request',
    );
    return {
      candidate: explaining
        ? {
            ...candidate,
            pullRequest: explaining,
            author: explaining.author ?? candidate.author,
          }
        : candidate,
      features,
      score,
    };
  });
  const confidences = calibrate(
    scored.map(s => calibrationInput(s.score, s.features)),
    model,
  );
  return scored
    .map((s, i) => ({ ...s, confidence: confidences[i] }))
    .sort(
      (a, b) =>
        b.score - a.score ||
        b.candidate.liveAt - a.candidate.liveAt ||
        a.candidate.change.id - b.candidate.change.id,
    );
}

/** Features that say little more than "it went out just before": they restate timing. */
const RESTATE_TIMING = new Set<FeatureName>(['release_match', 'novelty']);

/**
 * The weighted sum of the features. Release match and novelty do not count for the share of
 * the trouble whose code points away from the change (readable, and not through its files): the
 * errors of a third party's outage are first seen in the release that was running, whatever it
 * changed, so there they are timing counted twice. Nor, for the entity's own changes, for the
 * share that is failed calls to a dependency or to the far side of a call: such an error is
 * first seen in the caller's running release whoever broke the call, so an old deployment of
 * the caller that once changed its client would win on them over the called service's change.
 * For that share the caller's timing does not count either: calls fail when the far side
 * breaks, so going live just before says nothing the called service's own change, or an
 * outage, does not say better, and a caller's deployment still rolling out when its calls began
 * failing outranked the called service's deployment minutes before (and, under the outbound
 * ceiling, left that one measured against it, unnamed).
 */
export function scoreOf(features: FeatureValue[]): number {
  const code = features.find(f => f.name === 'code_overlap');
  const outbound = Number(code?.facts.outboundShare ?? 0);
  const against = Math.max(calibrationInput(0, features).codeAgainst, outbound);
  return features.reduce((sum, f) => {
    let counted = 1;
    if (RESTATE_TIMING.has(f.name)) counted = 1 - against;
    else if (f.name === 'timing') counted = 1 - outbound;
    return sum + FEATURE_WEIGHTS[f.name] * f.value * counted;
  }, 0);
}

/** Failed outbound calls make up most of the trouble from this share on. */
const OUTBOUND_MOSTLY = 0.5;

/** What the calibration looks at of a candidate. */
export function calibrationInput(
  score: number,
  features: FeatureValue[],
): CalibrationInput {
  const code = features.find(f => f.name === 'code_overlap');
  const compared = Number(code?.facts.framesCompared ?? 0) > 0;
  const readable = compared ? Number(code?.facts.readableShare ?? 1) : 0;
  const against =
    compared &&
    Number(code?.facts.framesMatched ?? 0) === 0 &&
    (code?.value ?? 0) < 0;
  // The part of the trouble whose readable code none of the change's files are in points away
  // from it even when another, minor part passes through them.
  const missed = compared ? Number(code?.facts.missedShare ?? 0) : 0;
  // A dependency's change when the entity's failing code is its own and calls nothing of the
  // dependency's: the code was readable and points away from it, as for a change of the
  // entity's own whose files no frame passes through.
  const unrelated =
    (code?.value ?? 0) > 0 ? 0 : Number(code?.facts.unrelatedShare ?? 0);
  const when = features.find(f => f.name === 'timing');
  const restated = features.some(
    f => RESTATE_TIMING.has(f.name) && f.value > 0,
  );
  const uncertainty = Number(when?.facts.onsetUncertaintyMinutes ?? 0);
  // Live, or still going live, inside the window, or less than the window's width before it:
  // a rollout under way when a metric began falling some time in the hour says no more than one
  // that finished in it, and a window placed from hourly counts is itself only an estimate, so
  // a deployment ten minutes before a drop's 40-minute window is no more certain than one in it.
  const wide = uncertainty > 15;
  const near =
    wide && Number(when?.facts.minutesBeforeOnset ?? Infinity) <= uncertainty;
  return {
    score,
    code: code?.value ?? 0,
    codeKnown: Math.max(readable, unrelated),
    codeAgainst: Math.max(against ? readable : 0, missed, unrelated),
    // Went live inside (or within its width before) an onset window wider than an incident's:
    // timing alone cannot say whether it came before the trouble (hours, up to 2). A change
    // still rolling out at the start of such a window is as uncertain.
    onsetWidth: near ? Math.min(2, uncertainty / 60) : 0,
    traffic: Number(when?.facts.trafficShare ?? 0),
    timingOnly: near && !restated && !codeSpeaksFor(code),
    // Only the entity's own changes carry the share (`codeOverlap`'s `withOutbound`): a
    // dependency's change is what such calls point at.
    outbound: Number(code?.facts.outboundShare ?? 0) >= OUTBOUND_MOSTLY,
  };
}

/**
 * Whether the code evidence speaks for the change beyond its timing: a frame in its files, a
 * library it bumped, a part of the code it names, or, for a key metric's drop, mostly files
 * about the metric. A deployment of a dozen files two of which touch the checkout says little
 * more about a fall in checkouts than that it went out in the hour, which is timing.
 */
function codeSpeaksFor(code: FeatureValue | undefined): boolean {
  if (!code || code.value <= 0) return false;
  const metricShare = code.facts.metricFilesShare;
  return metricShare === undefined || Number(metricShare) >= 0.5;
}
