import type { ChangeEventInput } from '@internal/plugin-product-os-node';
import { Knex } from 'knex';
import { emptyDatabase } from '../../__testUtils__/emptyDatabase';
import {
  storeTestDatabases,
  testStores,
} from '../../database/__testUtils__/storeFixtures';
import type { ProductOsStores } from '../../database/createProductOsStores';
import { HOUR_MS } from '../../time';
import { deploymentFacts } from './deploymentFacts';
import { doraFigures } from './doraFigures';
import { loadDoraRows } from './loadDoraRows';

jest.setTimeout(60_000);

const SEARCH = 'component:default/search-api';
/** 2026-12-01T00:00:00Z; `h(n)` is n hours after it. */
const T0 = Date.UTC(2026, 11, 1);
const h = (hours: number) => T0 + hours * HOUR_MS;
const RANGE = { from: h(-24), to: h(48) };

const github = (change: Omit<ChangeEventInput, 'entityRef' | 'source'>) =>
  ({ entityRef: SEARCH, source: 'github', ...change } as ChangeEventInput);

const deploy = (id: string, sha: string, start: number) =>
  github({
    kind: 'deployment',
    externalId: id,
    sha,
    title: `Deploy ${sha} to production`,
    environment: 'production',
    status: 'success',
    occurredAt: h(start),
    finishedAt: h(start + 1),
  });

/**
 * search-api, worked by hand:
 * - #21, first commit h0, squashed into s21 (stored) at h20, deployed by D1 h21–h22: 22 h from
 *   its first commit (2 h from the squash commit, as before);
 * - #22, first commit h23, merged as p22 (not stored) at h29, deployed by D2 h30–h31: 8 h (2 h
 *   from its merge);
 * - c23, pushed to main at h33 (no pull request), deployed by D3 h34–h35: 2 h.
 * Lead times [22, 8, 2] h: lower median 8 h (it was 2 h when measured from the merges).
 */
const CHANGES: ChangeEventInput[] = [
  github({
    kind: 'pull_request',
    externalId: '21',
    number: 21,
    title: 'Ranking by freshness',
    status: 'merged',
    sha: 's21',
    occurredAt: h(20),
    firstCommitAt: h(0),
  }),
  github({
    kind: 'commit',
    externalId: 's21',
    sha: 's21',
    title: 'Ranking by freshness (#21)',
    occurredAt: h(20),
  }),
  deploy('D1', 's21', 21),
  github({
    kind: 'pull_request',
    externalId: '22',
    number: 22,
    title: 'Typo tolerance',
    status: 'merged',
    sha: 'p22',
    occurredAt: h(29),
    firstCommitAt: h(23),
  }),
  deploy('D2', 'p22', 30),
  github({
    kind: 'commit',
    externalId: 'c23',
    sha: 'c23',
    title: 'Raise the timeout',
    occurredAt: h(33),
  }),
  deploy('D3', 'c23', 34),
];

describe('DORA lead time for changes', () => {
  const databases = storeTestDatabases();

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let stores: ProductOsStores;

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      stores = await testStores(knex);
    });

    beforeEach(async () => {
      await emptyDatabase(knex);
      await stores.ingest.ingest({ source: 'github' }, writer =>
        writer.upsertChangeEvents(CHANGES),
      );
    });

    const leadTime = async () =>
      doraFigures(
        deploymentFacts(
          await loadDoraRows(knex, [SEARCH], RANGE, ['production']),
        ),
        RANGE,
      );

    it("runs from a merged pull request's first commit to the production deployment that shipped it", async () => {
      expect(await leadTime()).toMatchObject({
        deployments: 3,
        changes: 3,
        leadTimeMs: 8 * HOUR_MS,
      });
      const facts = deploymentFacts(
        await loadDoraRows(knex, [SEARCH], RANGE, ['production']),
      );
      expect(facts.map(f => f.leadTimesMs)).toEqual([
        [22 * HOUR_MS],
        [8 * HOUR_MS],
        [2 * HOUR_MS],
      ]);
    });

    it('keeps the first commit when a webhook delivery of the pull request, which lacks it, arrives later', async () => {
      await stores.ingest.ingest({ source: 'github' }, writer =>
        writer.upsertChangeEvents(
          CHANGES.filter(c => c.kind === 'pull_request').map(
            ({ firstCommitAt: _first, ...delivered }) => delivered,
          ),
        ),
      );
      const rows = await knex('change_events')
        .where({ entity_ref: SEARCH, kind: 'pull_request' })
        .orderBy('external_id')
        .select('external_id', 'first_commit_at');
      expect(rows.map(r => [r.external_id, Number(r.first_commit_at)])).toEqual(
        [
          ['21', h(0)],
          ['22', h(23)],
        ],
      );
      expect((await leadTime()).leadTimeMs).toBe(8 * HOUR_MS);
    });

    it('measures from the merge where the first commit is not known', async () => {
      await knex('change_events')
        .where({ entity_ref: SEARCH })
        .update({ first_commit_at: null });
      // [2, 2, 2] h: the squash commit, #22's merge and c23.
      expect((await leadTime()).leadTimeMs).toBe(2 * HOUR_MS);
    });
  });
});
