import type {
  Actionability,
  ChangeEvent,
} from '@internal/plugin-product-os-common';
import type { TextPart } from '../../database/anomalies/DiagnosisStore';
import type { EntityContext, RankedSuspect } from '../types';
import { changeLabel, entityName, short } from './describeChange';
import {
  about,
  HIDDEN_CHANGE,
  HIDDEN_DEPENDENCY,
  plain,
  renderParts,
} from './textParts';

export interface NextStepOptions {
  actionability: Actionability;
  suspect?: RankedSuspect;
  /** The last successful deployment before the suspect deployment, to roll back to. */
  previousDeployment?: ChangeEvent;
  entity: EntityContext;
  metrics: string[];
  troubledDependencies: string[];
}

/**
 * The suggested next step, one sentence: roll back to the previous good deployment or revert
 * the pull request for an actionable suspect, a decision for one that needs a human, someone
 * to look when nothing stands out, or to keep watching while evidence is collected.
 */
export function nextStep(options: NextStepOptions): string {
  return renderParts(nextStepParts(options));
}

/**
 * The next step in parts: a dependency's name, or the undoing of its change, is a part of its
 * own, with what to say instead to a reader who may not see that dependency.
 */
export function nextStepParts(options: NextStepOptions): TextPart[] {
  const { actionability, suspect, entity } = options;
  if (actionability === 'collecting') {
    return [
      plain(
        'Keep watching: the agent re-evaluates this anomaly at every run until a change stands out or the collecting period ends.',
      ),
    ];
  }
  if (!suspect) {
    const who = entity.owner ?? `the owner of ${entity.name}`;
    const troubled = options.troubledDependencies;
    const parts = [
      plain(`Ask ${who} to look: no recent change explains the anomaly`),
    ];
    if (troubled.length) {
      parts.push(plain('; '));
      troubled.forEach((ref, index) => {
        if (index > 0) parts.push(plain(', '));
        parts.push(about(ref, entityName(ref), HIDDEN_DEPENDENCY));
      });
      parts.push(
        plain(
          ` ${
            troubled.length === 1 ? 'is' : 'are'
          } in trouble at the same time`,
        ),
      );
    }
    parts.push(plain('.'));
    return parts;
  }
  const { candidate } = suspect;
  return [
    about(
      candidate.upstream ? candidate.entityRef : undefined,
      suspectStep(options, suspect),
      `Ask the owners of the dependencies of ${entity.name} to check ${HIDDEN_CHANGE}, the likeliest cause.`,
    ),
  ];
}

function suspectStep(options: NextStepOptions, suspect: RankedSuspect): string {
  const { actionability } = options;
  const undo = undoStep(suspect, options.previousDeployment);
  if (actionability === 'needs_human') {
    if (options.metrics.length && suspect.candidate.change.kind !== 'change') {
      return `Decide whether the drop in ${options.metrics.join(
        ', ',
      )} is intended; if it is not, ${lowerFirst(undo)}.`;
    }
    return `Check ${changeLabel(
      suspect.candidate.change,
    )} and undo it if it is the cause.`;
  }
  return `${undo}.`;
}

function undoStep(suspect: RankedSuspect, previous?: ChangeEvent): string {
  const { candidate } = suspect;
  const change = candidate.change;
  const pr = candidate.pullRequest;
  const revertPr =
    pr?.number !== undefined ? `revert PR #${pr.number}` : undefined;
  const where = entityName(candidate.entityRef);
  if (change.kind === 'deployment') {
    if (previous?.sha) {
      const rollBack = `Roll back ${where} to ${short(
        previous.sha,
      )} (the last good deployment before ${changeLabel(change)})`;
      return revertPr ? `${rollBack}, or ${revertPr}` : rollBack;
    }
    return revertPr
      ? capitalize(revertPr)
      : `Roll back ${changeLabel(change)} of ${where}`;
  }
  if (change.kind === 'pull_request')
    return capitalize(revertPr ?? `revert ${changeLabel(change)}`);
  if (change.kind === 'commit') return `Revert ${changeLabel(change)}`;
  if (change.kind === 'release') return `Roll back ${changeLabel(change)}`;
  return `Undo ${changeLabel(change)}`;
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
