import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import type { Diagnosis } from '@internal/plugin-product-os-common';
import { readAgentConfig } from '@internal/plugin-product-os-backend/src/config';
import {
  createProductOsStores,
  ProductOsStores,
} from '@internal/plugin-product-os-backend/src/database/createProductOsStores';
import { planAftermath } from './aftermath';
import { buildSuite } from './families';
import { replayWithAftermath } from './followAftermath';
import type { Scenario } from './model';

jest.setTimeout(300_000);

const suite = buildSuite(1, 'classic');

/** What planning needs of a diagnosis: its verdict and top suspect. */
function diagnosisOf(verdict: Diagnosis['verdict'], top?: string): Diagnosis {
  return {
    verdict,
    suspects: top ? [{ rank: 1, change: { externalId: top } }] : [],
  } as unknown as Diagnosis;
}

/** The first scenario of a family whose aftermath, after the given diagnosis, tells that story. */
function scenarioWith(
  family: string,
  diagnosis: (s: Scenario) => Diagnosis,
  story: (steps: string[], scenario: Scenario) => boolean,
): Scenario {
  const found = suite.find(
    s => s.family === family && story(planAftermath(s, diagnosis(s)).story, s),
  );
  if (!found) throw new Error(`no ${family} scenario with that aftermath`);
  return found;
}

function changedSinceOnset(s: Scenario): boolean {
  const onset = s.expected.type === 'quiet' ? 0 : s.expected.onsetAt;
  return s.deliveries.some(
    d =>
      d.type === 'change' &&
      d.change.entityRef === s.entities[0].entityRef &&
      (d.change.kind === 'deployment' || d.change.kind === 'change') &&
      (d.change.finishedAt ?? d.change.occurredAt) >= onset &&
      d.at <= s.evaluateTo,
  );
}

const culpritOf = (s: Scenario) =>
  s.expected.type === 'culprit' ? s.expected.culprit : '';

describe('aftermath of a diagnosis', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let stores: ProductOsStores;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
    });

    async function follow(scenario: Scenario) {
      const { diagnosis, aftermath, recorded } = await replayWithAftermath(
        scenario,
        {
          stores,
          config: readAgentConfig(),
          logger: mockServices.logger.mock(),
        },
      );
      return {
        diagnosis,
        aftermath,
        outcome: diagnosis ? recorded.get(diagnosis.id) : undefined,
      };
    }

    it('verifies a named culprit that was rolled back, once its errors stop', async () => {
      const scenario = scenarioWith(
        'new-error-after-deploy',
        s => diagnosisOf('suspect', culpritOf(s)),
        (story, s) => story.join() === `rolled back ${culpritOf(s)}`,
      );
      const { diagnosis, aftermath, outcome } = await follow(scenario);
      expect(diagnosis?.verdict).toBe('suspect');
      expect(aftermath.story).toEqual([`rolled back ${culpritOf(scenario)}`]);
      expect(aftermath.stoppedAt).toBeDefined();
      expect(outcome).toMatchObject({
        outcome: 'verified',
        basis: 'rolled_back_and_stopped',
        suspectWasCause: true,
      });
      // The trouble stopped in the error stream within the hour the simulation stopped it.
      expect(
        Math.abs(outcome!.stoppedAt! - aftermath.stoppedAt!),
      ).toBeLessThanOrEqual(60 * 60_000);
    });

    it('leaves a culprit fixed forward inconclusive: another change stopped it', async () => {
      const scenario = scenarioWith(
        'new-error-after-deploy',
        s => diagnosisOf('suspect', culpritOf(s)),
        story => story.join() === 'fixed forward',
      );
      const { aftermath, outcome } = await follow(scenario);
      expect(aftermath.stoppedAt).toBeDefined();
      expect(outcome).toMatchObject({
        outcome: 'inconclusive',
        basis: 'stopped_after_other_change',
      });
      expect(outcome!.suspectWasCause).toBeUndefined();
    });

    it('verifies "not enough evidence" when the trouble ends on its own', async () => {
      const scenario = scenarioWith(
        'external-outage',
        () => diagnosisOf('not_enough_evidence'),
        // A partner's API failing, which goes on until the aftermath ends it, with no change
        // of the entity going live after the onset (that would make it inconclusive).
        (story, s) =>
          !changedSinceOnset(s) &&
          story.join() === 'the trouble ends on its own',
      );
      const { diagnosis, aftermath, outcome } = await follow(scenario);
      expect(diagnosis?.verdict).toBe('not_enough_evidence');
      expect(aftermath.story).toEqual(['the trouble ends on its own']);
      expect(outcome).toMatchObject({
        outcome: 'verified',
        basis: 'stopped_without_change',
      });
    });
  });
});
