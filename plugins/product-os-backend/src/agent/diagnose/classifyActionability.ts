import type {
  Actionability,
  AnomalyKind,
} from '@internal/plugin-product-os-common';
import type { RankedSuspect } from '../types';

/** Kinds of change that can be undone by rolling back or reverting. */
const UNDOABLE = new Set(['deployment', 'pull_request', 'commit', 'release']);

/**
 * The bucket a diagnosis goes in:
 * - `actionable`: a named suspect that is a specific change to undo (a deployment to roll back,
 *   a pull request or commit to revert), for errors or an incident;
 * - `needs_human`: a named suspect that needs a decision rather than an undo (a key metric fell
 *   some time after a product change, which may be intended; an operational change such as a
 *   flag), or no suspect after the collecting period, so a person has to look;
 * - but a key metric that fell in the first hour after the deployment named (a heartbeat drop)
 *   is `actionable`: rolling that deployment back is the step, while it still saves the day.
 * - `collecting`: no suspect yet while the anomaly is young: keep watching and re-evaluate.
 */
export function classifyActionability(options: {
  suspect?: RankedSuspect;
  kinds: AnomalyKind[];
  anomalyAgeMs: number;
  collectingMs: number;
  /** Ids of the deployments in whose first hour a key metric fell (heartbeat drops). */
  heartbeatDeployments?: number[];
}): Actionability {
  const { suspect, kinds } = options;
  if (!suspect)
    return options.anomalyAgeMs < options.collectingMs
      ? 'collecting'
      : 'needs_human';
  const metricOnly = kinds.every(kind => kind === 'metric_drop');
  const heartbeat =
    suspect.candidate.change.kind === 'deployment' &&
    (options.heartbeatDeployments ?? []).includes(suspect.candidate.change.id);
  if (
    (metricOnly && !heartbeat) ||
    !UNDOABLE.has(suspect.candidate.change.kind)
  )
    return 'needs_human';
  return 'actionable';
}
