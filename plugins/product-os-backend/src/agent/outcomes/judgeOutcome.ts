import type {
  ChangeEvent,
  DiagnosisOutcomeBasis,
  DiagnosisOutcomeKind,
} from '@internal/plugin-product-os-common';
import { DAY_MS, HOUR_MS } from '../../time';
import { clockTime } from '../detect/hourly';
import { formatDuration } from '../research/features/timing';
import { Fix, liveAt } from './findFix';
import type { TroubleSignal } from './troubleStopped';

/** How long after the undoing went live the trouble may take to stop and still count as its end. */
export const FIX_WINDOW_MS = 3 * HOUR_MS;
/** After this long without an answer, a diagnosis' outcome is inconclusive. */
export const OUTCOME_DEADLINE_MS = 3 * DAY_MS;
/**
 * Change events can arrive late (a pull every few minutes, a webhook retried): a stop is judged
 * only once its quiet hours are this far behind, so a rollback just before it has been seen.
 */
const SETTLE_MS = HOUR_MS;

/** What the agent knows, some time after a diagnosis, about what happened next. */
export interface OutcomeFacts {
  /** Whether it named its top suspect (`suspect`), or said "not enough evidence". */
  named: boolean;
  createdAt: number;
  onsetAt: number;
  /** The top suspect, named or not. */
  suspect?: ChangeEvent;
  rejection?: { reason?: string; by: string; at: number };
  /** The first rollback or revert of the top suspect that went live after the onset. */
  fix?: Fix;
  /** When the trouble stopped (two quiet hours of its errors or metrics, or its incident resolved). */
  stoppedAt?: number;
  /** What stopping means for this anomaly, for the words: its errors, key metrics or incident. */
  signal: TroubleSignal;
  /** Changes of the entity and of the suspect's that went live since the onset, other than the fix. */
  otherChanges: ChangeEvent[];
  now: number;
}

/** An outcome without the diagnosis it belongs to. */
export interface Judgement {
  outcome: DiagnosisOutcomeKind;
  basis: DiagnosisOutcomeBasis;
  description: string;
  /** Whether the top suspect was the cause; undefined when this does not tell. */
  suspectWasCause?: boolean;
}

/**
 * The outcome of a diagnosis from what happened after it, or undefined while it cannot be told
 * yet. For a diagnosis that named its top suspect:
 * - rejected by a person: refuted;
 * - the suspect rolled back or reverted, and the trouble stopped within `FIX_WINDOW_MS` of that
 *   going live (the hour it went live in counts, as errors are counted by the hour): verified;
 *   stopped a whole hour before it: refuted; not stopped by then: refuted;
 * - stopped with no change going live since the onset: refuted (it ended without undoing the
 *   suspect); stopped after another change (a fix forward, a flag): inconclusive;
 * - none of that within `OUTCOME_DEADLINE_MS`: inconclusive.
 * "Not enough evidence" is the other way round where it can be: the change ranked first rolled
 * back and the trouble stopping then refutes it (there was a cause, and the agent had it first
 * but too unsure); stopping with no change going live verifies it; a rejection refutes it, without
 * saying which change was the cause.
 */
export function judgeOutcome(facts: OutcomeFacts): Judgement | undefined {
  const { named, suspect, fix, stoppedAt, now } = facts;
  const label = (wasCause: boolean) =>
    suspect ? { suspectWasCause: wasCause } : {};
  const stopped = (at: number) =>
    facts.signal === 'incident'
      ? `the incident was resolved at ${clockTime(at)}`
      : `its ${
          facts.signal === 'metrics' ? 'key metrics' : 'errors'
        } were back to their usual level from ${clockTime(at)}`;
  const what = named
    ? 'the suspect'
    : 'the change ranked first (not named, for want of evidence)';

  if (facts.rejection) {
    return {
      outcome: 'refuted',
      basis: 'rejected',
      description: `Rejected by a reviewer at ${clockTime(facts.rejection.at)}${
        facts.rejection.reason ? ', with the reason below' : ''
      }.`,
      ...(named ? label(false) : {}),
    };
  }

  const undone = fix?.kind === 'rollback' ? 'rolled back' : 'reverted';
  if (fix && stoppedAt !== undefined && stoppedAt + HOUR_MS > fix.at) {
    if (stoppedAt <= fix.at + FIX_WINDOW_MS) {
      return {
        outcome: named ? 'verified' : 'refuted',
        basis: 'rolled_back_and_stopped',
        description: `${capital(what)} was ${undone} at ${clockTime(
          fix.at,
        )}, and ${stopped(stoppedAt)}.`,
        ...label(true),
      };
    }
    return fixDidNotStop(facts, fix, undone, what, label);
  }
  if (fix && stoppedAt === undefined) {
    if (now < fix.at + FIX_WINDOW_MS + 2 * HOUR_MS + SETTLE_MS)
      return undefined;
    return fixDidNotStop(facts, fix, undone, what, label);
  }
  if (stoppedAt !== undefined) {
    if (now < stoppedAt + 2 * HOUR_MS + SETTLE_MS) return undefined;
    // The hour it stopped in counts: a change at 14:20 may be what quieted 14:00–16:00.
    const other = facts.otherChanges.find(
      c => liveAt(c) >= facts.onsetAt && liveAt(c) < stoppedAt + HOUR_MS,
    );
    if (fix && !other && named) {
      return {
        outcome: 'refuted',
        basis: 'stopped_before_fix',
        description: `The trouble had stopped (${stopped(
          stoppedAt,
        )}) before the suspect was ${undone} at ${clockTime(fix.at)}.`,
        ...label(false),
      };
    }
    if (other) {
      return {
        outcome: 'inconclusive',
        basis: 'stopped_after_other_change',
        description: `${capital(
          stopped(stoppedAt),
        )}, after a change that does not undo ${what} went live at ${clockTime(
          liveAt(other),
        )}.`,
      };
    }
    return {
      outcome: named ? 'refuted' : 'verified',
      basis: 'stopped_without_change',
      description: `${capital(
        stopped(stoppedAt),
      )}, with no change going live since the onset${
        named ? ': the suspect was not undone' : ''
      }.`,
      ...label(false),
    };
  }
  if (now >= facts.createdAt + OUTCOME_DEADLINE_MS) {
    return {
      outcome: 'inconclusive',
      basis: 'deadline',
      description: `In the ${
        OUTCOME_DEADLINE_MS / DAY_MS
      } days after the diagnosis ${what} was not rolled back or reverted and the trouble did not clearly stop.`,
    };
  }
  return undefined;
}

function fixDidNotStop(
  facts: OutcomeFacts,
  fix: Fix,
  undone: string,
  what: string,
  label: (wasCause: boolean) => { suspectWasCause?: boolean },
): Judgement {
  return {
    // Undoing the change ranked first did not help: "not enough evidence" may well be right,
    // but the trouble that went on does not say so.
    outcome: facts.named ? 'refuted' : 'inconclusive',
    basis: 'fix_did_not_stop',
    description: `${capital(what)} was ${undone} at ${clockTime(
      fix.at,
    )}, and the trouble went on for more than ${formatDuration(
      FIX_WINDOW_MS,
    )} after it.`,
    ...label(false),
  };
}

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
