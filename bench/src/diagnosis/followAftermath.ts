import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ProductOsStores } from '@internal/plugin-product-os-backend/src/database/createProductOsStores';
import type { OutcomeInput } from '@internal/plugin-product-os-backend/src/database/outcomes/OutcomeStore';
import { OutcomeEvaluator } from '@internal/plugin-product-os-backend/src/agent/outcomes/OutcomeEvaluator';
import { Aftermath, planAftermath } from './aftermath';
import type { Scenario } from './model';
import { Feed, replayScenario } from './replay';

/**
 * Writes a scenario's aftermath after its replay (what arrived from the replay's last step to
 * the end of the story, a person's rejection through the store as the status route does it),
 * then runs the real `OutcomeEvaluator` at the story's end, past every deadline. Returns the
 * outcomes it recorded, by diagnosis id: the scenario's own and any of its false alarms'.
 */
export async function followAftermath(
  stores: ProductOsStores,
  aftermath: Aftermath,
  diagnosisId: number | undefined,
  logger: LoggerService,
): Promise<Map<number, OutcomeInput>> {
  await new Feed(stores, aftermath.scenario, aftermath.from).until(
    aftermath.until,
  );
  const { rejection } = aftermath;
  if (rejection && diagnosisId !== undefined)
    await stores.diagnoses.transitionDiagnosis(diagnosisId, {
      to: 'rejected',
      from: ['open', 'acknowledged'],
      ...rejection,
    });
  const recorded = new Map<number, OutcomeInput>();
  const evaluator = new OutcomeEvaluator({
    stores: {
      ...stores,
      outcomes: {
        listUndecided: limit => stores.outcomes.listUndecided(limit),
        labelledConfidences: limit =>
          stores.outcomes.labelledConfidences(limit),
        recordOutcome: async input => {
          const result = await stores.outcomes.recordOutcome(input);
          if (result === 'recorded') recorded.set(input.diagnosisId, input);
          return result;
        },
      },
    },
    logger,
    now: () => aftermath.until,
  });
  // A pass looks at up to 500 diagnoses; the rest wait for the next.
  while ((await evaluator.evaluate()).decided > 0);
  return recorded;
}

/**
 * Replays a scenario, plans what people and the system do after its diagnosis, and follows that
 * to the outcomes: the diagnosis the scenario was labelled for, the aftermath, and every outcome
 * recorded (see {@link followAftermath}).
 */
export async function replayWithAftermath(
  scenario: Scenario,
  options: Parameters<typeof replayScenario>[1],
) {
  const replayed = await replayScenario(scenario, options);
  const diagnosis = replayed.matched?.diagnosis;
  const aftermath = planAftermath(scenario, diagnosis);
  const recorded = await followAftermath(
    options.stores,
    aftermath,
    diagnosis?.id,
    options.logger,
  );
  return { diagnosis, aftermath, recorded };
}
