import type {
  Actionability,
  ChangeEvent,
} from '@internal/plugin-product-os-common';
import type { EntityContext, RankedSuspect } from '../types';
import { changeLabel, entityName, short } from './describeChange';

/**
 * The suggested next step, one sentence: roll back to the previous good deployment or revert
 * the pull request for an actionable suspect, a decision for one that needs a human, someone
 * to look when nothing stands out, or to keep watching while evidence is collected.
 */
export function nextStep(options: {
  actionability: Actionability;
  suspect?: RankedSuspect;
  /** The last successful deployment before the suspect deployment, to roll back to. */
  previousDeployment?: ChangeEvent;
  entity: EntityContext;
  metrics: string[];
  troubledDependencies: string[];
}): string {
  const { actionability, suspect, entity } = options;
  if (actionability === 'collecting') {
    return 'Keep watching: the agent re-evaluates this anomaly at every run until a change stands out or the collecting period ends.';
  }
  if (!suspect) {
    const who = entity.owner ?? `the owner of ${entity.name}`;
    const deps = options.troubledDependencies.length
      ? `; ${options.troubledDependencies.map(entityName).join(', ')} ${
          options.troubledDependencies.length === 1 ? 'is' : 'are'
        } in trouble at the same time`
      : '';
    return `Ask ${who} to look: no recent change explains the anomaly${deps}.`;
  }
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
