import type { StackFrame } from '@internal/plugin-product-os-common';
import type { Candidate, FeatureValue } from '../../types';
import { fileName, isManifest, isOpaque, pathMatch, stemOf } from '../paths';
import { FeatureContext, groupsFor } from './context';
import type { ScopeGroup } from './scopeGroups';
import { words } from './dependencyCalls';

/** Frames per error group that are compared, nearest the top of the stack first. */
const TOP_FRAMES = 5;
/**
 * The value of a change with files that shares none with frames that could have matched: the
 * failing code points elsewhere, which is evidence against it, not merely no evidence for it.
 */
const NO_OVERLAP = -0.3;
/**
 * The value of a dependency's change when the anomaly's errors are failed calls to it and it
 * reports no errors of its own: the failing code points at the dependency, though not at one
 * of its changes, so less than a frame in a changed file.
 */
const CALLED = 0.5;
/**
 * The value of a library bump when the failing code's innermost frame is in a library: the
 * error is thrown inside a dependency, and this change changed the dependencies.
 */
const LIBRARY_BUMP = 0.6;
/** Credit of a match at the frame making a call that failed on its far side. */
const FAR_SIDE = 0.5;
/**
 * The value of an operational change (a flag, a config push) whose title names the part of the
 * code the errors are thrown in (`Config push: rates client timeout` and a frame in
 * `src/rates/`): flags and settings are named after what they switch, so the name is what a
 * stack frame can point at, though more loosely than a changed file.
 */
const NAMED_PART = 0.6;
/** Folders and name parts too common to say which part of a service code belongs to. */
const GENERIC_PARTS = new Set([
  'src',
  'lib',
  'app',
  'dist',
  'build',
  'out',
  'api',
  'internal',
  'pkg',
  'cmd',
  'main',
  'java',
  'com',
  'org',
  'routes',
  'route',
  'handlers',
  'handler',
  'views',
  'controller',
  'controllers',
  'service',
  'services',
  'repository',
  'client',
  'server',
  'http',
  'httpapi',
  'impl',
  'util',
  'utils',
  'common',
  'shared',
  'core',
  'static',
]);
/** The typical time between an entity's changes is taken to lie in this range. */
const MIN_INTERVAL_MS = 60 * 60_000;
const MAX_INTERVAL_MS = 24 * 60 * 60_000;
const FRESH_MS = 60 * 60_000;

/** Words of metric names too common to link a change to a metric. */
const COMMON_WORDS = new Set([
  'event',
  'events',
  'page',
  'view',
  'viewed',
  'click',
  'clicked',
  'count',
  'total',
]);

/**
 * Changed files match the in-app stack frames of the error groups behind the anomaly, by path
 * suffix. A frame's weight falls with its depth (1, 1/2, 1/3, ...), so the file that threw
 * counts most; each group counts by its share of the anomaly. For a change of a dependency,
 * the frames of the dependency's own errors around the onset are used; when it reports none but
 * the anomaly's errors are failed calls to it, those calls count for it, and for the entity's own
 * changes such an error is compared only where the call is made. An anomaly with no
 * error groups (a metric drop) falls back to a weak signal: changed paths that name the
 * dropped metric's words. A change with files that matches none of the frames scores below zero
 * in proportion to the share of groups whose frames are recognisable source files; frames in
 * built bundles count neither way.
 */
export function codeOverlap(
  candidate: Candidate,
  context: FeatureContext,
): FeatureValue {
  const position = context.positions.get(candidate) ?? -1;
  const groups = groupsFor(candidate, context);
  const called = candidate.upstream
    ? context.dependencyCalls.shares.get(candidate.entityRef) ?? 0
    : 0;
  const unrelated = candidate.upstream
    ? unrelatedShare(candidate.entityRef, context)
    : 0;
  if (groups.length === 0 && called > 0) return calledDependency(called);
  if (groups.length === 0)
    return withUnrelated(metricMention(candidate, context), unrelated);
  return withOutbound(
    ownCode(candidate, context, groups, position, unrelated),
    candidate.upstream ? 0 : outboundShare(groups, context),
  );
}

/** Code overlap with the anomaly's (or the dependency's own) error groups. */
function ownCode(
  candidate: Candidate,
  context: FeatureContext,
  groups: ScopeGroup[],
  position: number,
  unrelated: number,
): FeatureValue {
  let value = 0;
  let coverage = 0;
  let missed = 0;
  let framesSeen = 0;
  let framesMatched = 0;
  let topSeen = 0;
  let topMatched = 0;
  const matchedFiles = new Set<string>();
  const credit = new Map<number, number>();
  for (const { group, share } of groups) {
    // A failed outbound call is the entity's fault only where the call is made: the callers
    // below it merely passed through, and even there the failure is on the far side more
    // often than in the call (half the credit).
    const outbound =
      !candidate.upstream && context.dependencyCalls.outbound.has(group.id);
    const compared = outbound ? 1 : TOP_FRAMES;
    const credit0 = outbound ? FAR_SIDE : 1;
    const frames = group.topFrames
      .filter(f => f.inApp && !isOpaque(f.filename))
      .slice(0, compared);
    if (frames.length === 0) continue;
    coverage += share;
    let weighted = 0;
    let weights = 0;
    let groupMatched = false;
    for (const [depth, frame] of frames.entries()) {
      const weight = 1 / (depth + 1);
      const found = matchFrame(frame, position, context);
      // At the frame making a call that failed on its far side, only a change of that very
      // file speaks for the caller: a file of the same name in another folder (`repository.py`
      // of another module) is no reason to think the caller broke a call the far side failed.
      const score = outbound && found.score < 1 ? 0 : found.score;
      const match = { ...found, score: score * credit0 };
      weighted += weight * match.score;
      weights += weight;
      framesSeen++;
      if (depth < 3) topSeen++;
      if (match.score > 0) {
        framesMatched++;
        groupMatched = true;
        if (depth < 3) topMatched++;
        matchedFiles.add(fileName(match.file!));
        credit.set(
          match.changeId!,
          (credit.get(match.changeId!) ?? 0) + share * weight * match.score,
        );
      }
    }
    value += share * (weighted / weights);
    if (!groupMatched) missed += share;
  }
  const best = [...credit].sort((a, b) => b[1] - a[1])[0];
  const files = [...matchedFiles].slice(0, 4).join(', ');
  if (framesSeen === 0) {
    return withUnrelated(
      {
        name: 'code_overlap',
        value: 0,
        description:
          'the failing code has no recognisable source frames to compare with',
        facts: { framesCompared: 0 },
      },
      unrelated,
    );
  }
  const named =
    candidate.files.length === 0 && candidate.change.kind === 'change'
      ? namedPart(candidate, groups)
      : undefined;
  if (named) {
    return {
      name: 'code_overlap',
      value: NAMED_PART * named.share,
      description: `names the part of the code the errors are thrown in (${named.parts.join(
        ', ',
      )}), ${Math.round(named.share * 100)}% of the errors`,
      facts: {
        framesCompared: framesSeen,
        readableShare: Math.round(coverage * 1000) / 1000,
        framesMatched: 0,
        namedShare: Math.round(named.share * 1000) / 1000,
      },
    };
  }
  // A change of dependency manifests (a library bump) has no code a frame could be in: an
  // error thrown inside a library speaks for it, and when it changed only manifests that no
  // frame matches says nothing against it. A library bump often ships with other pull requests
  // in the same deployment, whose files are not in the frames either.
  const sourceFiles = candidate.files.filter(f => !isManifest(f));
  const manifests = candidate.files.length > sourceFiles.length;
  const inLibrary =
    manifests && framesMatched === 0
      ? libraryShare(groups, context.dependencyCalls.outbound, group =>
          editedNearby(group, candidate, position, context),
        )
      : 0;
  if (framesMatched === 0 && manifests && (!sourceFiles.length || inLibrary)) {
    return {
      name: 'code_overlap',
      value: LIBRARY_BUMP * inLibrary,
      description:
        inLibrary > 0
          ? `changed dependency manifests${
              sourceFiles.length ? '' : ' only'
            }, and ${Math.round(
              inLibrary * 100,
            )}% of the errors are thrown inside a library`
          : 'changed only dependency manifests, which no stack frame can be in',
      facts: {
        framesCompared: framesSeen,
        readableShare: Math.round(coverage * 1000) / 1000,
        framesMatched: 0,
        manifestsOnly: !sourceFiles.length,
        libraryShare: Math.round(inLibrary * 1000) / 1000,
      },
    };
  }
  const against = framesMatched === 0 && candidate.files.length > 0;
  const fresh = value > 0 ? freshness(candidate, context) : 1;
  return {
    name: 'code_overlap',
    value: against ? NO_OVERLAP * coverage : value * fresh,
    description:
      framesMatched === 0
        ? `changed none of the files in the top frames of the failing code`
        : `changed ${topMatched} of the ${topSeen} top frames' files (${files})`,
    facts: {
      framesCompared: framesSeen,
      // The share of the trouble whose code could be read, for the calibration.
      readableShare: Math.round(coverage * 1000) / 1000,
      // The share whose readable code none of the change's files are in: a change that touched
      // one frame of a minor error has nothing to do with the rest.
      ...(candidate.files.length > 0 && {
        missedShare: Math.round(missed * 1000) / 1000,
      }),
      framesMatched,
      ...(fresh < 1 && { freshness: Math.round(fresh * 1000) / 1000 }),
      topFramesCompared: topSeen,
      topFramesMatched: topMatched,
      ...(best && { bestChangeId: best[0] }),
    },
  };
}

/**
 * How much of its code-overlap credit a change keeps for having gone live some time before the
 * onset: after its first hour, half for each typical interval between the entity's changes (from 1 to 24 hours) that
 * it ran before the trouble. A change hours old in a service that ships hourly has run through
 * many deployments and much traffic without trouble; the same age in one that ships weekly is
 * recent. A file in the frames is evidence of where the trouble is, not of when it began.
 */
export function freshness(
  candidate: Candidate,
  context: Pick<FeatureContext, 'liveTimes' | 'onsetAt'>,
): number {
  // Within its first hour a change is as fresh as it gets: a latent bug waits for traffic.
  const age = Math.max(0, context.onsetAt - candidate.liveUntil - FRESH_MS);
  if (age === 0) return 1;
  return 2 ** (-age / typicalInterval(candidate.entityRef, context));
}

/** The median time between an entity's changes going live, from 1 to 24 hours. */
function typicalInterval(
  entityRef: string,
  context: Pick<FeatureContext, 'liveTimes'>,
): number {
  const times = context.liveTimes.get(entityRef) ?? [];
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i] - times[i - 1]);
  if (gaps.length < 2) return MAX_INTERVAL_MS;
  gaps.sort((a, b) => a - b);
  const median = gaps[Math.floor(gaps.length / 2)];
  return Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, median));
}

/**
 * The share of the trouble whose innermost frame is a library's, not the application's; a call
 * that failed on its far side is thrown in the HTTP or cloud client too, but not for anything
 * the library did.
 */
function libraryShare<G extends { id: number; topFrames: StackFrame[] }>(
  groups: { group: G; share: number }[],
  outbound: Set<number>,
  calledFromEditedCode: (group: G) => boolean,
): number {
  let share = 0;
  for (const { group, share: part } of groups)
    if (
      group.topFrames.length &&
      !group.topFrames[0].inApp &&
      !outbound.has(group.id) &&
      !calledFromEditedCode(group)
    )
      share += part;
  return share;
}

/** Changes this close to one another are alternatives for the same trouble. */
const NEARBY_MS = 60 * 60_000;

/**
 * Whether another change of the same entity, live within the hour of this one, changed the
 * file of the innermost application frame, the code that called into the library: an error
 * thrown inside a library on its way from code just edited is that edit's doing as much as a
 * bump's, so the bump (often shipped beside unrelated code) is not credited for it.
 */
function editedNearby(
  group: { topFrames: StackFrame[] },
  candidate: Candidate,
  position: number,
  context: FeatureContext,
): boolean {
  const caller = group.topFrames.find(f => f.inApp && !isOpaque(f.filename));
  if (!caller) return false;
  return (context.files.get(stemOf(caller.filename)) ?? []).some(entry => {
    if (entry.candidate === position) return false;
    const other = context.candidates[entry.candidate];
    return (
      other.entityRef === candidate.entityRef &&
      Math.abs(other.liveAt - candidate.liveAt) <= NEARBY_MS &&
      pathMatch(caller.filename, entry.file) === 1
    );
  });
}

/**
 * For an operational change, the share of the trouble whose top in-app frames are in a part of
 * the code (a folder or the name of a file, not a generic one nor the service's own name) that
 * its title names, and those parts.
 */
function namedPart(
  candidate: Candidate,
  groups: { group: { topFrames: StackFrame[] }; share: number }[],
): { share: number; parts: string[] } | undefined {
  const own = new Set(words(candidate.entityRef.replace(/^.*\//, '')));
  const title = new Set(
    words(candidate.change.title)
      .filter(word => word.length >= 4 && !own.has(word))
      .map(singular),
  );
  let share = 0;
  const parts = new Set<string>();
  for (const { group, share: part } of groups) {
    const found = group.topFrames
      .filter(f => f.inApp && !isOpaque(f.filename))
      .slice(0, 3)
      .flatMap(frame => partWords(frame.filename))
      .find(word => title.has(singular(word)));
    if (!found) continue;
    share += part;
    parts.add(found);
  }
  return share > 0 ? { share, parts: [...parts] } : undefined;
}

/** The words naming the part of the code a file is in: its folder and its own name. */
function partWords(path: string): string[] {
  const segments = path.split(/[\\/]/).filter(Boolean);
  const file = (segments.pop() ?? '').replace(/\.[^.]*$/, '');
  const folder = segments.pop();
  return [...(folder ? words(folder) : []), ...words(file)].filter(
    word => word.length >= 4 && !GENERIC_PARTS.has(word),
  );
}

function singular(word: string): string {
  return word.endsWith('s') && word.length > 4 ? word.slice(0, -1) : word;
}

function matchFrame(
  frame: StackFrame,
  position: number,
  context: FeatureContext,
): { score: number; file?: string; changeId?: number } {
  let best: { score: number; file?: string; changeId?: number } = { score: 0 };
  for (const entry of context.files.get(stemOf(frame.filename)) ?? []) {
    if (entry.candidate !== position) continue;
    const score = pathMatch(frame.filename, entry.file);
    if (score > best.score)
      best = { score, file: entry.file, changeId: entry.change.id };
    if (score === 1) break;
  }
  return best;
}

/**
 * The share of the anomaly whose failing code is readable, in the entity's own code and not a
 * call to this dependency: trouble a dependency's change caused reaches the entity through
 * calls to it, so for that share the code points away from the dependency.
 */
function unrelatedShare(dependency: string, context: FeatureContext): number {
  let share = 0;
  for (const { group, share: part } of context.groups) {
    if (context.dependencyCalls.groups.get(group.id)?.has(dependency)) continue;
    if (group.topFrames.some(f => f.inApp && !isOpaque(f.filename)))
      share += part;
  }
  return Math.round(share * 1000) / 1000;
}

/**
 * The share of the trouble that is failed outbound calls (to a dependency, or failing on the far
 * side): the entity noticed it there, so the release such an error was first seen in, and its
 * being new, say nothing of the entity's own changes beyond when they went live.
 */
function outboundShare(groups: ScopeGroup[], context: FeatureContext): number {
  let share = 0;
  for (const { group, share: part } of groups)
    if (context.dependencyCalls.outbound.has(group.id)) share += part;
  return Math.round(share * 1000) / 1000;
}

function withOutbound(feature: FeatureValue, outbound: number): FeatureValue {
  return outbound > 0
    ? { ...feature, facts: { ...feature.facts, outboundShare: outbound } }
    : feature;
}

function withUnrelated(feature: FeatureValue, unrelated: number): FeatureValue {
  return unrelated > 0
    ? { ...feature, facts: { ...feature.facts, unrelatedShare: unrelated } }
    : feature;
}

function calledDependency(share: number): FeatureValue {
  const percent = Math.round(share * 100);
  return {
    name: 'code_overlap',
    value: CALLED * share,
    description: `the failing code is a call to this dependency (${percent}% of the errors), which reports no errors of its own`,
    facts: { framesCompared: 0, calledShare: Math.round(share * 1000) / 1000 },
  };
}

function metricMention(
  candidate: Candidate,
  context: FeatureContext,
): FeatureValue {
  const metricWords = new Set(
    context.metrics.flatMap(metric =>
      metric
        .replace(/([a-z])([A-Z])/g, '$1_$2')
        .toLowerCase()
        .split(/[^a-z0-9]+/)
        .filter(word => word.length >= 4 && !COMMON_WORDS.has(word)),
    ),
  );
  if (
    metricWords.size === 0 ||
    candidate.upstream ||
    candidate.files.length === 0
  ) {
    return {
      name: 'code_overlap',
      value: 0,
      description: 'no failing code to compare the change with',
      facts: { framesCompared: 0 },
    };
  }
  // The share of the change's files that are about the metric's feature (`CheckoutForm.tsx`
  // for `checkout_completed`), by their folder and name: a change mostly about it points at it,
  // one that touched it among a dozen other files hardly does. Only the folder and the name
  // count, so a word every path has (the service's own folder) says nothing.
  const naming = candidate.files.filter(file =>
    partWords(file).some(
      word => metricWords.has(word) || metricWords.has(singular(word)),
    ),
  );
  const named = [
    ...new Set(
      naming.flatMap(file =>
        partWords(file).filter(
          w => metricWords.has(w) || metricWords.has(singular(w)),
        ),
      ),
    ),
  ];
  const share = naming.length / candidate.files.length;
  // A product change reaches a key metric as soon as people use it: one that ran for hours of
  // ordinary traffic before the metric fell keeps less of its credit, as for a file in the frames.
  const fresh = share > 0 ? freshness(candidate, context) : 1;
  return {
    name: 'code_overlap',
    // A name in a path is a hint, not a stack trace: half weight at most.
    value: 0.5 * share * fresh,
    description: named.length
      ? `${naming.length} of the ${
          candidate.files.length
        } changed files are about the dropped metric (${named.join(', ')})`
      : 'changed no files that name the dropped metric',
    facts: {
      metricWords: metricWords.size,
      metricWordsNamed: named.length,
      metricFilesShare: Math.round(share * 1000) / 1000,
      ...(fresh < 1 && { freshness: Math.round(fresh * 1000) / 1000 }),
    },
  };
}
