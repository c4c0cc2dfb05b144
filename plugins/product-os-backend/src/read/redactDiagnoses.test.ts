import { mockCredentials } from '@backstage/backend-test-utils';
import type { Entity } from '@backstage/catalog-model';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import { caseLines } from '@internal/plugin-product-os-common';
import { Knex } from 'knex';
import { emptyDatabase } from '../__testUtils__/emptyDatabase';
import {
  at,
  deployment,
  ENTITY,
  OTHER_ENTITY,
  seedAnomaly,
  storeTestDatabases,
  testStores,
} from '../database/__testUtils__/storeFixtures';
import type { ProductOsStores } from '../database/createProductOsStores';
import { EntityAccess } from '../entities/EntityAccess';
import { HIDDEN_CHANGE } from '../agent/diagnose/textParts';
import { DiagnosisRedaction } from './redactDiagnoses';

jest.setTimeout(60_000);

const component = (name: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: { name, namespace: 'default' },
  spec: { type: 'service', owner: 'group:default/payments' },
});

/** The reader sees checkout-api but not payments-api, the dependency whose deploy leads. */
const readerCatalog = () =>
  new EntityAccess(
    catalogServiceMock({ entities: [component('checkout-api')] }),
  );
const fullCatalog = () =>
  new EntityAccess(
    catalogServiceMock({
      entities: [component('checkout-api'), component('payments-api')],
    }),
  );

describe('a diagnosis whose top suspect is a change the reader may not see', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;
    let diagnosisId: number;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      stores = await testStores(knex);
      await emptyDatabase(knex);
      await stores.ingest.ingest({ source: 'github' }, writer =>
        writer.upsertChangeEvents([
          deployment({
            entityRef: OTHER_ENTITY,
            externalId: 'payments-deploy',
            title: 'Deploy 5e5e5e5',
            sha: '5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e5e',
            url: 'https://github.com/acme/payments-api/deployments/1',
            status: 'success',
            occurredAt: at(14, 0),
          }),
          deployment({ status: 'success', occurredAt: at(13, 0) }),
        ]),
      );
      const changes = await stores.changes.getChangeEventsForEntities(
        [ENTITY, OTHER_ENTITY],
        { from: at(0), to: at(24) },
      );
      const theirs = changes.find(c => c.entityRef === OTHER_ENTITY)!;
      const ours = changes.find(c => c.entityRef === ENTITY)!;
      const anomaly = await seedAnomaly(stores.anomalies, {
        entityRef: ENTITY,
        kinds: ['error_spike'],
        onsetAt: at(14, 10),
        detectedAt: at(14, 11),
        magnitude: 6,
        score: 0.8,
        details: {},
      });
      const rollBack =
        'Roll back payments-api to 4d4d4d4 (the last good deployment before Deploy 5e5e5e5).';
      const { diagnosis } = await stores.diagnoses.saveAgentDiagnosis({
        entityRef: ENTITY,
        anomalyId: anomaly.id,
        summary: 'Errors in checkout-api rose 6×, after Deploy 5e5e5e5.',
        confidence: 0.82,
        actionability: 'actionable',
        verdict: 'suspect',
        nextStep: rollBack,
        reviewers: ['group:default/payments'],
        owner: 'group:default/payments',
        createdAt: at(14, 12),
        suspects: [
          {
            changeEventId: theirs.id,
            score: 4,
            confidence: 0.82,
            evidence: [],
          },
          { changeEventId: ours.id, score: 1, confidence: 0.3, evidence: [] },
        ],
        evidence: [
          {
            kind: 'error_spike',
            description: 'Errors rose 6×',
            weight: 1,
            facts: {
              magnitude: 6,
              onsetAt: new Date(at(14, 10)).toISOString(),
            },
          },
        ],
        redactable: {
          summary: [
            { text: 'Errors in checkout-api rose 6×, after ' },
            {
              text: 'Deploy 5e5e5e5',
              entityRef: OTHER_ENTITY,
              hidden: HIDDEN_CHANGE,
            },
            { text: '.' },
          ],
          nextStep: [
            {
              text: rollBack,
              entityRef: OTHER_ENTITY,
              hidden: `Ask the owners of the dependencies of checkout-api to check ${HIDDEN_CHANGE}, the likeliest cause.`,
            },
          ],
        },
      });
      diagnosisId = diagnosis.id;
      // payments-api was rolled back and the errors stopped: the outcome names the rollback.
      await stores.ingest.ingest({ source: 'github' }, writer =>
        writer.upsertChangeEvents([
          deployment({
            entityRef: OTHER_ENTITY,
            externalId: 'payments-rollback',
            title: 'Deploy 4d4d4d4',
            sha: '4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d4d',
            status: 'success',
            occurredAt: at(15, 0),
          }),
        ]),
      );
      const [rollback] = await stores.changes.getChangeEvents(OTHER_ENTITY, {
        from: at(15, 0),
        to: at(16, 0),
      });
      await stores.outcomes.recordOutcome({
        diagnosisId,
        outcome: 'verified',
        basis: 'rolled_back_and_stopped',
        description:
          'The suspect was rolled back at 15:00 UTC, and its errors were back to their usual level from 15:00 UTC.',
        suspectChangeId: theirs.id,
        fixChangeId: rollback.id,
        fixAt: at(15, 0),
        stoppedAt: at(15, 0),
        confidence: 0.82,
        suspectWasCause: true,
        decidedAt: at(18, 0),
      });
    });

    const redacted = async (entities: EntityAccess) => {
      const diagnosis = await stores.diagnoses.getDiagnosis(diagnosisId);
      return new DiagnosisRedaction(stores.diagnoses, entities).redactOne(
        diagnosis!,
        mockCredentials.user(),
      );
    };

    it('keeps a marker in the top place instead of the hidden suspect, never promoting the next', async () => {
      const { diagnosis } = await redacted(readerCatalog());
      expect(diagnosis.hiddenTopSuspect !== undefined).toBe(true);
      // The hidden change is gone; the suspect that was second keeps its rank.
      expect(diagnosis.suspects.map(s => [s.rank, s.change.entityRef])).toEqual(
        [[2, ENTITY]],
      );
      expect(diagnosis.hiddenTopSuspect).toEqual({ rank: 1, confidence: 0.82 });
      expect(JSON.stringify(diagnosis)).not.toContain('payments-api');
      expect(JSON.stringify(diagnosis)).not.toContain('5e5e5e5');
      // What became of it is told; which change undid it is not.
      expect(JSON.stringify(diagnosis)).not.toContain('4d4d4d4');
      expect(diagnosis.outcome).toMatchObject({ outcome: 'verified' });
      expect(diagnosis.outcome).not.toHaveProperty('fix');
      expect(diagnosis.outcome).not.toHaveProperty('suspectChangeId');

      const lines = caseLines(diagnosis);
      expect(lines.cause).toBe(
        'A change in a dependency you cannot see (ask its owners)',
      );
      expect(lines.causeUrl).toBeUndefined();
      expect(lines.cause).not.toContain('9f2c1e7');
      expect(lines.nextStep).toBe(
        'Ask the owners of the dependencies of checkout-api to check a change in a dependency you cannot see, the likeliest cause.',
      );
      expect(lines.confidence).toBe('High (82%)');
    });

    it('names the change to a reader who may see its entity, with no marker', async () => {
      const { diagnosis } = await redacted(fullCatalog());
      expect(diagnosis.hiddenTopSuspect !== undefined).toBe(false);
      expect(diagnosis.hiddenTopSuspect).toBeUndefined();
      const lines = caseLines(diagnosis);
      expect(lines.cause).toBe('Deploy 5e5e5e5 in payments-api, a dependency');
      expect(lines.nextStep).toContain('Roll back payments-api');
      expect(diagnosis.outcome?.fix).toMatchObject({
        entityRef: OTHER_ENTITY,
        title: 'Deploy 4d4d4d4',
      });
    });
  });
});
