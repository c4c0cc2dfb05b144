import { mockCredentials } from '@backstage/backend-test-utils';
import { Knex } from 'knex';
import { emptyDatabase } from '../__testUtils__/emptyDatabase';
import {
  at,
  deployment,
  ENTITY,
  isoAt,
  seedAnomaly,
  storeTestDatabases,
  testStores,
} from '../database/__testUtils__/storeFixtures';
import type { ProductOsStores } from '../database/createProductOsStores';
import { ReadModel } from '../database/readModel/ReadModel';
import type { EntityAccess } from '../entities/EntityAccess';
import { EntityReadService } from './EntityReadService';
import { DiagnosisRedaction } from './redactDiagnoses';

jest.setTimeout(60_000);

describe('the case-file timeline of a diagnosis rewritten as evidence arrived', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      stores = await testStores(knex, { sampleSize: 3 });
      await emptyDatabase(knex);
    });

    it('shows the diagnosis when it was written and again when its conclusion changed', async () => {
      await stores.ingest.ingest({ source: 'github' }, writer =>
        writer.upsertChangeEvents([
          deployment({ status: 'success', title: 'Deploy 9f2c1e7' }),
        ]),
      );
      const [deploy] = await stores.changes.getChangeEvents(ENTITY, {
        from: at(0),
        to: at(24),
      });
      const anomaly = await seedAnomaly(stores.anomalies, {
        entityRef: ENTITY,
        kinds: ['new_error_group'],
        onsetAt: at(14, 10),
        detectedAt: at(14, 11),
        magnitude: 1,
        score: 0.5,
        details: {},
      });
      const save = (minute: number, named: boolean, confidence: number) =>
        stores.diagnoses.saveAgentDiagnosis({
          entityRef: ENTITY,
          anomalyId: anomaly.id,
          summary: named ? 'Named the deployment' : 'Not enough evidence yet',
          confidence,
          actionability: named ? 'actionable' : 'collecting',
          verdict: named ? 'suspect' : 'not_enough_evidence',
          reviewers: [],
          createdAt: at(14, minute),
          suspects: [
            { changeEventId: deploy.id, score: 2, confidence, evidence: [] },
          ],
          evidence: [],
        });
      await save(11, false, 0.3);
      await save(12, true, 0.83);

      // Nothing here tells of another entity, so the catalog is never asked.
      const entities = {} as EntityAccess;
      const service = new EntityReadService(
        stores,
        new ReadModel(knex),
        new DiagnosisRedaction(stores.diagnoses, entities),
      );
      const items = await service.timeline(
        ENTITY,
        { from: at(0), to: at(24), bucketMs: 3_600_000 },
        mockCredentials.user(),
      );
      const diagnosisItems = items.filter(i => i.type === 'diagnosis');
      expect(diagnosisItems).toEqual([
        expect.objectContaining({
          time: isoAt(14, 12),
          title: 'Diagnosis revised: names Deploy 9f2c1e7 (83 %)',
        }),
        expect.objectContaining({
          time: isoAt(14, 11),
          title: 'Named the deployment',
        }),
      ]);
    });
  });
});
