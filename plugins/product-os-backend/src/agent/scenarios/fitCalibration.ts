import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'fs';
import type { AgentConfig } from '../../config';
import type { ProductOsStore } from '../../database/ProductOsStore';
import { margins } from '../research/calibrate';
import type {
  CalibrationExample,
  CalibrationModel,
} from '../research/calibrate';
import { calibrationInput } from '../research/rankSuspects';
import { researchAnomaly } from '../research/researchAnomaly';
import type { ScenarioOutcome } from './replay';
import { StaticEntityContexts } from './replay';

/**
 * The labelled candidates of a replayed scenario: every candidate change of its matched
 * anomaly, researched as the agent would at the end of the replay, marked culprit or not.
 */
export async function calibrationExamples(
  store: ProductOsStore,
  outcome: ScenarioOutcome,
  config: AgentConfig,
  calibration?: CalibrationModel,
): Promise<(CalibrationExample & { confidence: number })[]> {
  const { scenario, matched } = outcome;
  if (!matched || scenario.expected.type === 'quiet') return [];
  const anomaly = await store.getAnomalyRecord(matched.anomaly.id);
  if (!anomaly) return [];
  const contexts = new StaticEntityContexts(scenario.entities);
  const entity = await contexts.get(anomaly.entityRef);
  const research = await researchAnomaly({
    store,
    anomaly,
    entity,
    dependencies: await Promise.all(
      entity.dependsOn.map(ref => contexts.get(ref)),
    ),
    now: scenario.evaluateTo,
    config,
    calibration,
  });
  const culprit =
    scenario.expected.type === 'culprit'
      ? scenario.expected.culprit
      : undefined;
  const scores = research.suspects.map(s => s.score);
  const marginList = margins(scores);
  return research.suspects.map((s, i) => ({
    ...calibrationInput(s.score, s.features),
    margin: marginList[i],
    culprit: s.candidate.change.externalId === culprit,
    confidence: s.confidence,
  }));
}

/** Rewrites `calibrationModel.ts` with fitted coefficients and how they were fitted. */
export function writeCalibrationModel(
  model: CalibrationModel,
  about: {
    seeds: string;
    scenarios: number;
    examples: number;
    culprits: number;
    brier: number;
  },
) {
  const file = resolvePackagePath(
    '@internal/plugin-product-os-backend',
    'src/agent/research/calibrationModel.ts',
  );
  const r = (n: number) => Math.round(n * 10000) / 10000;
  fs.writeFileSync(
    file,
    `import type { CalibrationModel } from './calibrate';

/**
 * Fitted by \`yarn bench:diagnosis --fit\` (logistic regression, see \`calibrate.ts\`) on the
 * candidates of ${about.scenarios} labelled training scenarios, seeds ${
      about.seeds
    }, disjoint from the
 * benchmark's: ${about.examples} candidates of which ${
      about.culprits
    } were the cause; Brier score on them ${r(about.brier)}.
 */
export const calibrationModel: CalibrationModel = {
  intercept: ${r(model.intercept)},
  score: ${r(model.score)},
  margin: ${r(model.margin)},
  code: ${r(model.code)},
  codeKnown: ${r(model.codeKnown)},
  codeAgainst: ${r(model.codeAgainst)},
};
`,
  );
  return file;
}
