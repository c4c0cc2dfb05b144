import type { LoggerService } from '@backstage/backend-plugin-api';
import type { ProductOsStores } from '@internal/plugin-product-os-backend/src/database/createProductOsStores';
import type { OutcomeInput } from '@internal/plugin-product-os-backend/src/database/outcomes/OutcomeStore';
import { OutcomeEvaluator } from '@internal/plugin-product-os-backend/src/agent/outcomes/OutcomeEvaluator';
import type { Aftermath } from './aftermath';
import { Feed } from './replay';

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
