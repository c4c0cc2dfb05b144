import type { ChangeEvent } from '@internal/plugin-product-os-common';
import type { Candidate } from '../../types';
import { stemOf } from '../paths';
import type { DependencyCalls } from './dependencyCalls';
import type { ScopeGroup } from './scopeGroups';

/** A changed file of a candidate, indexed by file name. */
export interface IndexedFile {
  candidate: number;
  file: string;
  /** The pull request, commit or deployment that changed it. */
  change: ChangeEvent;
}

/** What every feature may look at, prepared once per anomaly. */
export interface FeatureContext {
  /** The anomalous entity. */
  entityRef: string;
  onsetAt: number;
  onsetUncertaintyMs: number;
  /** Error groups behind the anomaly, of the anomalous entity. */
  groups: ScopeGroup[];
  /** Per dependency, the error groups behind its own trouble around the onset. */
  dependencyGroups: Map<string, ScopeGroup[]>;
  /** Error groups of the anomaly that are failed calls to a dependency, and their shares. */
  dependencyCalls: DependencyCalls;
  /** Per entity (anomalous one and dependencies), error groups first seen around the onset. */
  newGroups: Map<string, ScopeGroup[]>;
  /** Key metrics that dropped, for an anomaly with no error groups. */
  metrics: string[];
  /** How much of the error rise the entity's key metrics rising with it explain, 0 to 1. */
  trafficShare?: number;
  candidates: Candidate[];
  /** Each candidate's position in `candidates`. */
  positions: Map<Candidate, number>;
  /** Changed files of all candidates by file name, so matching frames is a lookup. */
  files: Map<string, IndexedFile[]>;
  /** When each entity's candidates went live, sorted. */
  liveTimes: Map<string, number[]>;
}

export function liveTimesByEntity(
  candidates: Candidate[],
): Map<string, number[]> {
  const times = new Map<string, number[]>();
  for (const c of candidates) {
    const list = times.get(c.entityRef);
    if (list) list.push(c.liveAt);
    else times.set(c.entityRef, [c.liveAt]);
  }
  for (const list of times.values()) list.sort((a, b) => a - b);
  return times;
}

/** How many of the sorted times lie in (after, until]. */
export function countBetween(
  sorted: number[],
  after: number,
  until: number,
): number {
  return upperBound(sorted, until) - upperBound(sorted, after);
}

function upperBound(sorted: number[], value: number): number {
  let low = 0;
  let high = sorted.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (sorted[middle] <= value) low = middle + 1;
    else high = middle;
  }
  return low;
}

/** The error groups a candidate is judged against: its own entity's trouble. */
export function groupsFor(
  candidate: Candidate,
  context: FeatureContext,
): ScopeGroup[] {
  return candidate.upstream
    ? context.dependencyGroups.get(candidate.entityRef) ?? []
    : context.groups;
}

export function indexFiles(
  candidates: Candidate[],
): Map<string, IndexedFile[]> {
  const index = new Map<string, IndexedFile[]>();
  // The same files recur in many changes; their stems are worked out once.
  const stems = new Map<string, string>();
  candidates.forEach((candidate, position) => {
    for (const change of [candidate.change, ...candidate.includes]) {
      for (const file of change.files) {
        let stem = stems.get(file);
        if (stem === undefined) {
          stem = stemOf(file);
          stems.set(file, stem);
        }
        const list = index.get(stem) ?? [];
        list.push({ candidate: position, file, change });
        index.set(stem, list);
      }
    }
  });
  return index;
}
