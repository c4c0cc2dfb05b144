import { resolvePackagePath } from '@backstage/backend-plugin-api';
import fs from 'fs';
import type { AgentConfig } from '@internal/plugin-product-os-backend/src/config';
import type { ProductOsStores } from '@internal/plugin-product-os-backend/src/database/createProductOsStores';
import { margins } from '@internal/plugin-product-os-backend/src/agent/research/calibrate';
import {
  CEILING_KEYS,
  type CalibrationExample,
  type CalibrationModel,
} from '@internal/plugin-product-os-backend/src/agent/research/calibrationTypes';
import { calibrationInput } from '@internal/plugin-product-os-backend/src/agent/research/rankSuspects';
import { researchAnomaly } from '@internal/plugin-product-os-backend/src/agent/research/researchAnomaly';
import type { RankedSuspect } from '@internal/plugin-product-os-backend/src/agent/types';
import type { ScenarioOutcome } from './replay';
import { StaticEntityContexts } from '@internal/plugin-product-os-backend/src/__testUtils__/StaticEntityContexts';

/**
 * The labelled candidates of a replayed scenario: every candidate change of its matched
 * anomaly, researched as the agent would at the end of the replay, marked culprit or not.
 */
export async function calibrationExamples(
  stores: ProductOsStores,
  outcome: ScenarioOutcome,
  config: AgentConfig,
  calibration?: CalibrationModel,
): Promise<
  (CalibrationExample & {
    confidence: number;
    change: string;
    features: RankedSuspect['features'];
  })[]
> {
  const { scenario, matched } = outcome;
  if (!matched || scenario.expected.type === 'quiet') return [];
  const anomaly = await stores.anomalies.getAnomalyRecord(matched.anomaly.id);
  if (!anomaly) return [];
  const contexts = new StaticEntityContexts(scenario.entities);
  const entity = await contexts.get(anomaly.entityRef);
  const research = await researchAnomaly({
    stores,
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
    change: s.candidate.change.externalId,
    features: s.features,
  }));
}

/**
 * Writes the fitted coefficients, and how they were fitted, to the data file the agent's
 * calibration model reads (`calibration.json` beside `calibrationModel.ts`).
 */
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
    'src/agent/research/calibration.json',
  );
  const r = (n: number) => Math.round(n * 10000) / 10000;
  const data = {
    fittedBy: 'yarn bench:diagnosis --fit',
    ...about,
    brier: r(about.brier),
    model: {
      intercept: r(model.intercept),
      score: r(model.score),
      margin: r(model.margin),
      code: r(model.code),
      codeKnown: r(model.codeKnown),
      codeAgainst: r(model.codeAgainst),
      onsetWidth: r(model.onsetWidth ?? 0),
      traffic: r(model.traffic ?? 0),
      trafficScore: r(model.trafficScore ?? 0),
      // Only the ceilings the fit set: absent means no ceiling.
      ...Object.fromEntries(
        CEILING_KEYS.flatMap(key =>
          model[key] === undefined ? [] : [[key, r(model[key]!)]],
        ),
      ),
    },
  };
  fs.writeFileSync(file, `${JSON.stringify(data, null, 2)}\n`);
  return file;
}
