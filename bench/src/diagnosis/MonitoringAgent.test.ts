import { mockServices, TestDatabases } from '@backstage/backend-test-utils';
import { ConflictError, InputError, NotFoundError } from '@backstage/errors';
import { readAgentConfig } from '@internal/plugin-product-os-backend/src/config';
import {
  createProductOsStores,
  ProductOsStores,
} from '@internal/plugin-product-os-backend/src/database/createProductOsStores';
import { DAY_MS, HOUR_MS } from '@internal/plugin-product-os-backend/src/time';
import { DiagnosisService } from '@internal/plugin-product-os-backend/src/agent/DiagnosisService';
import { MonitoringAgent } from '@internal/plugin-product-os-backend/src/agent/MonitoringAgent';
import { buildScenario } from './families';
import { StaticEntityContexts } from '@internal/plugin-product-os-backend/src/__testUtils__/StaticEntityContexts';
import { replayScenario } from './replay';

jest.setTimeout(120_000);

const config = readAgentConfig();
const logger = mockServices.logger.mock();

describe('MonitoringAgent', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let stores: ProductOsStores;
    // A new error in checkout code 4-15 minutes after the deployment that changed it.
    const scenario = buildScenario(
      'new-error-after-deploy',
      0,
      9101,
      'classic',
    );
    const entityRef = scenario.entities[0].entityRef;
    const expected = scenario.expected as {
      type: 'culprit';
      culprit: string;
      onsetAt: number;
    };
    let clock = 0;
    let agent: MonitoringAgent;

    beforeAll(async () => {
      const knex = await databases.init(databaseId);
      stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      await replayScenario(scenario, { stores, config, logger });
      agent = new MonitoringAgent({
        stores,
        entities: new StaticEntityContexts(scenario.entities),
        config,
        logger,
        now: () => clock,
      });
    });

    it('has recorded one anomaly for the incident, diagnosed with the deployment that caused it', async () => {
      const anomalies = await stores.anomalies.getAnomalies(entityRef, {
        from: 0,
        to: Number.MAX_SAFE_INTEGER,
      });
      expect(anomalies).toHaveLength(1);
      expect(
        Math.abs(Date.parse(anomalies[0].onsetAt) - expected.onsetAt),
      ).toBeLessThan(HOUR_MS);
      const [diagnosis] = await stores.diagnoses.listDiagnoses({
        entityRefs: [entityRef],
      });
      expect(diagnosis).toMatchObject({
        verdict: 'suspect',
        actionability: 'actionable',
        status: 'open',
        owner: scenario.entities[0].owner,
      });
      expect(diagnosis.suspects[0].change.externalId).toBe(expected.culprit);
      expect(diagnosis.summary).toMatch(
        /^(A new error ".*" appeared|Errors in) .*after deploy [0-9a-f]{7} \(PR #\d+ by \w+\)/,
      );
      expect(diagnosis.nextStep).toMatch(
        /^Roll back .* to [0-9a-f]{7} \(the last good deployment before deploy [0-9a-f]{7}\)/,
      );
      expect(diagnosis.reviewers).toContain(scenario.entities[0].owner);
      expect(diagnosis.suspects[0].evidence.map(e => e.kind)).toEqual(
        expect.arrayContaining(['timing', 'code_overlap']),
      );
    });

    it('runs again, as a signal-triggered run would, without a second anomaly or diagnosis', async () => {
      clock = scenario.evaluateTo + 10 * 60_000;
      const [first, second] = await Promise.all([
        agent.runForEntity(entityRef),
        agent.runForEntity(entityRef),
      ]);
      expect(first.anomalies.every(a => a.outcome !== 'created')).toBe(true);
      expect(second.anomalies.every(a => a.outcome !== 'created')).toBe(true);
      expect(
        await stores.anomalies.getAnomalies(entityRef, {
          from: 0,
          to: Number.MAX_SAFE_INTEGER,
        }),
      ).toHaveLength(1);
      expect(
        await stores.diagnoses.listDiagnoses({ entityRefs: [entityRef] }),
      ).toHaveLength(1);
    });

    it('researches again on request into a new diagnosis, and follows the lifecycle with feedback', async () => {
      const [anomaly] = await stores.anomalies.getAnomalies(entityRef, {
        from: 0,
        to: Number.MAX_SAFE_INTEGER,
      });
      const entities = {
        getReadable: jest.fn(async () => ({} as any)),
        filterReadable: jest.fn(),
        listTracked: jest.fn(),
      } as any;
      const service = new DiagnosisService({
        diagnoses: stores.diagnoses,
        anomalies: stores.anomalies,
        entities,
        agent,
        now: () => clock,
      });
      const credentials = {
        $$type: '@backstage/BackstageCredentials',
        principal: { type: 'user', userEntityRef: 'user:default/dana' },
      } as any;

      const fresh = await service.researchAgain(
        anomaly.id,
        'user:default/dana',
        credentials,
      );
      expect(fresh.anomalyId).toBe(anomaly.id);
      expect(fresh.suspects[0].change.externalId).toBe(expected.culprit);
      expect(
        await stores.diagnoses.listDiagnoses({ entityRefs: [entityRef] }),
      ).toHaveLength(2);

      await expect(
        service.changeStatus(
          fresh.id,
          { status: 'rejected' },
          'user:default/dana',
          credentials,
        ),
      ).rejects.toThrow(InputError);
      const acknowledged = await service.changeStatus(
        fresh.id,
        { status: 'acknowledged' },
        'user:default/dana',
        credentials,
      );
      expect(acknowledged.status).toBe('acknowledged');
      const resolved = await service.changeStatus(
        fresh.id,
        { status: 'resolved', reason: 'Rolled back' },
        'user:default/lee',
        credentials,
      );
      expect(resolved).toMatchObject({
        status: 'resolved',
        feedback: 'Rolled back',
      });
      expect(resolved.history?.map(h => [h.from, h.to, h.by])).toEqual([
        ['open', 'acknowledged', 'user:default/dana'],
        ['acknowledged', 'resolved', 'user:default/lee'],
      ]);
      await expect(
        service.changeStatus(
          fresh.id,
          { status: 'acknowledged' },
          'user:default/dana',
          credentials,
        ),
      ).rejects.toThrow(ConflictError);
      await expect(service.get(999999, credentials)).rejects.toThrow(
        NotFoundError,
      );

      // Resolving closed the anomaly: the agent does not report the same trouble again.
      clock += HOUR_MS;
      const run = await agent.runForEntity(entityRef);
      expect(run.anomalies.every(a => a.outcome === 'closed')).toBe(true);
      expect(
        (await stores.anomalies.getAnomalyRecord(anomaly.id))?.status,
      ).toBe('closed');
      expect(
        await stores.anomalies.getAnomalies(entityRef, {
          from: 0,
          to: Number.MAX_SAFE_INTEGER,
        }),
      ).toHaveLength(1);
    });

    it('answers 404 for a diagnosis whose entity the caller cannot see', async () => {
      const [diagnosis] = await stores.diagnoses.listDiagnoses({
        entityRefs: [entityRef],
      });
      const hidden = {
        getReadable: jest.fn(async () => {
          throw new NotFoundError('No entity');
        }),
      } as any;
      const service = new DiagnosisService({
        diagnoses: stores.diagnoses,
        anomalies: stores.anomalies,
        entities: hidden,
        agent,
      });
      await expect(service.get(diagnosis.id, {} as any)).rejects.toThrow(
        NotFoundError,
      );
      await expect(
        service.changeStatus(
          diagnosis.id,
          { status: 'acknowledged' },
          'x',
          {} as any,
        ),
      ).rejects.toThrow(NotFoundError);
    });

    it('closes an open anomaly that has not been seen for a day', async () => {
      const other = 'component:default/quiet-one';
      await stores.anomalies.recordAnomaly(
        {
          entityRef: other,
          kinds: ['incident'],
          onsetAt: clock - 3 * DAY_MS,
          detectedAt: clock - 3 * DAY_MS,
          magnitude: 1,
          score: 0.7,
          details: { signals: [], onsetUncertaintyMs: 0 },
        },
        { mergeWindowMs: HOUR_MS, merge: (_, incoming) => incoming },
      );
      const run = await agent.runForEntity(other);
      expect(run.closed).toHaveLength(1);
      expect(await stores.anomalies.getOpenAnomalies(other)).toEqual([]);
    });
  });
});
