import {
  mockCredentials,
  mockServices,
  TestDatabases,
} from '@backstage/backend-test-utils';
import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import { ConflictError } from '@backstage/errors';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { Diagnosis } from '@internal/plugin-product-os-common';
import { Knex } from 'knex';
import { createProductOsStores } from '../database/createProductOsStores';
import { EntityAccess } from '../entities/EntityAccess';
import { DiagnosisActions } from './DiagnosisActions';
import { GithubWriteError, GithubWriter } from './GithubWriter';
import type { Repository } from './renderActionPreview';

jest.setTimeout(60_000);

const NOW = Date.parse('2026-11-20T12:00:00Z');
const HOUR = 3_600_000;
const CHECKOUT = 'component:default/checkout';
const LEDGER = 'component:default/ledger';
const ALICE = 'user:default/alice';
const OUTSIDER = 'user:default/outsider';
const LEDGER_SHA = 'b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0';

const component = (name: string, slug: string): Entity => ({
  apiVersion: 'backstage.io/v1alpha1',
  kind: 'Component',
  metadata: {
    name,
    namespace: 'default',
    annotations: { 'github.com/project-slug': slug },
  },
  spec: { type: 'service', lifecycle: 'production', owner: 'group:default/x' },
});
const entities = [
  component('checkout', 'acme/checkout'),
  component('ledger', 'acme/ledger-service'),
];

/** The catalog as the caller sees it: the outsider cannot see the ledger. */
function catalogAsCaller(): CatalogService {
  return new Proxy({} as CatalogService, {
    get: (_target, method) => {
      if (typeof method !== 'string' || method === 'then') return undefined;
      return (...args: any[]) => {
        const user =
          args[args.length - 1]?.credentials?.principal?.userEntityRef;
        const visible = entities.filter(
          e => user !== OUTSIDER || stringifyEntityRef(e) !== LEDGER,
        );
        return (catalogServiceMock({ entities: visible }) as any)[method](
          ...args,
        );
      };
    },
  });
}

/** Records every write; GitHub itself is not what these tests are about. */
class RecordingWriter implements GithubWriter {
  readonly writes: string[] = [];
  failNext = false;
  async createIssue(repository: Repository, title: string) {
    return this.write(`${repository.owner}/${repository.repo}`, title);
  }
  async commentOnPullRequest(repository: Repository, pullNumber: number) {
    return this.write(
      `${repository.owner}/${repository.repo}#${pullNumber}`,
      'comment',
    );
  }
  private async write(target: string, what: string) {
    if (this.failNext) {
      this.failNext = false;
      throw new GithubWriteError('GitHub answered 500', 500);
    }
    this.writes.push(`${target} ${what}`);
    return { url: `https://github.com/${target}/${this.writes.length}` };
  }
}

describe('DiagnosisActions on a shared database', () => {
  const databases = TestDatabases.create({ ids: ['POSTGRES_15', 'SQLITE_3'] });

  describe.each(databases.eachSupportedId())('%p', databaseId => {
    let knex: Knex;
    let diagnoses: Record<'byLedgerPull' | 'byLedgerDeploy', Diagnosis>;
    const alice = mockCredentials.user(ALICE);
    const outsider = mockCredentials.user(OUTSIDER);

    /** A backend instance: its own stores and actions on the shared database. */
    async function instance(writer: GithubWriter) {
      const stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      return new DiagnosisActions({
        enabled: true,
        diagnoses: stores.diagnoses,
        changes: stores.changes,
        audit: stores.audit,
        entities: new EntityAccess(catalogAsCaller()),
        writer,
        logger: mockServices.logger.mock(),
        now: () => NOW,
      });
    }

    beforeAll(async () => {
      knex = await databases.init(databaseId);
      const stores = await createProductOsStores({
        database: mockServices.database({ knex }),
      });
      await stores.ingest.ingest({ source: 'github', deliveryId: 'seed' }, w =>
        w.upsertChangeEvents([
          // checkout has a pull request #77 of its own, which is not the suspect.
          {
            entityRef: CHECKOUT,
            source: 'github',
            kind: 'pull_request',
            externalId: 'acme/checkout#77',
            title: 'Unrelated checkout change',
            number: 77,
            sha: 'c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0c0',
            occurredAt: NOW - 6 * HOUR,
          },
          {
            entityRef: LEDGER,
            source: 'github',
            kind: 'pull_request',
            externalId: 'acme/ledger-service#77',
            title: 'Round ledger totals',
            author: 'mallory',
            number: 77,
            sha: LEDGER_SHA,
            occurredAt: NOW - 4 * HOUR,
          },
          {
            entityRef: LEDGER,
            source: 'github',
            kind: 'deployment',
            externalId: 'ledger-deploy-9',
            title: 'Deploy ledger',
            sha: LEDGER_SHA,
            status: 'success',
            occurredAt: NOW - 3 * HOUR,
          },
        ]),
      );
      const changes = await stores.changes.getChangeEventsForEntities(
        [CHECKOUT, LEDGER],
        { from: NOW - 24 * HOUR, to: NOW },
      );
      const idOf = (externalId: string) =>
        changes.find(c => c.externalId === externalId)!.id;
      const diagnose = (changeExternalId: string) =>
        stores.diagnoses.createDiagnosis({
          entityRef: CHECKOUT,
          summary: `Errors in checkout rose after ${changeExternalId} of ledger by mallory (${LEDGER_SHA.slice(
            0,
            7,
          )}).`,
          confidence: 0.8,
          actionability: 'actionable',
          reviewers: ['mallory', 'group:default/x'],
          createdAt: NOW - HOUR,
          suspects: [
            {
              changeEventId: idOf(changeExternalId),
              score: 0.9,
              confidence: 0.8,
              evidence: [],
            },
          ],
          evidence: [],
          redactable: {
            summary: [
              { text: 'Errors in checkout rose' },
              {
                text: ` after ${changeExternalId} of ledger by mallory`,
                entityRef: LEDGER,
                hidden: ', after a change in a dependency you cannot see',
              },
              { text: '.' },
            ],
            reviewers: [
              { ref: 'mallory', entityRef: LEDGER },
              { ref: 'group:default/x' },
            ],
          },
        });
      diagnoses = {
        byLedgerPull: await diagnose('acme/ledger-service#77'),
        byLedgerDeploy: await diagnose('ledger-deploy-9'),
      };
    });

    it('comments on the upstream pull request in its own repository', async () => {
      const writer = new RecordingWriter();
      const actions = await instance(writer);
      const pull = await actions.preview({
        diagnosisId: diagnoses.byLedgerPull.id,
        action: 'pr-comment',
        credentials: alice,
        canAct: true,
      });
      expect(pull.target).toBe('acme/ledger-service#77');
      expect(pull.enabled).toBe(true);
      // A deployment of the dependency: its pull request is looked up among the dependency's.
      const deploy = await actions.preview({
        diagnosisId: diagnoses.byLedgerDeploy.id,
        action: 'pr-comment',
        credentials: alice,
        canAct: true,
      });
      expect(deploy.target).toBe('acme/ledger-service#77');
      await actions.run({
        diagnosisId: diagnoses.byLedgerPull.id,
        action: 'pr-comment',
        previewToken: pull.previewToken!,
        credentials: alice,
      });
      expect(writer.writes).toEqual(['acme/ledger-service#77 comment']);
      // The issue still goes to the diagnosed entity's repository.
      const issue = await actions.preview({
        diagnosisId: diagnoses.byLedgerPull.id,
        action: 'github-issue',
        credentials: alice,
        canAct: true,
      });
      expect(issue.target).toBe('acme/checkout');
    });

    it('previews nothing of a dependency the caller cannot see, and names no pull request', async () => {
      const actions = await instance(new RecordingWriter());
      const issue = await actions.preview({
        diagnosisId: diagnoses.byLedgerPull.id,
        action: 'github-issue',
        credentials: outsider,
        canAct: true,
      });
      const text = `${issue.title}\n${issue.body}`;
      for (const leak of ['ledger', 'mallory', LEDGER_SHA.slice(0, 7), '#77'])
        expect(text).not.toContain(leak);
      expect(text).toContain('a change in a dependency you cannot see');
      const pull = await actions.preview({
        diagnosisId: diagnoses.byLedgerPull.id,
        action: 'pr-comment',
        credentials: outsider,
        canAct: true,
      });
      expect(pull.enabled).toBe(false);
      expect(pull.disabledReason).toMatch(/dependency you cannot see/);
      expect(pull.target).not.toContain('77');
    });

    it('writes a confirmed preview once, across instances and a restart', async () => {
      const writer = new RecordingWriter();
      const first = await instance(writer);
      const second = await instance(writer);
      const preview = await first.preview({
        diagnosisId: diagnoses.byLedgerDeploy.id,
        action: 'github-issue',
        credentials: alice,
        canAct: true,
      });
      const run = (actions: DiagnosisActions) =>
        actions.run({
          diagnosisId: diagnoses.byLedgerDeploy.id,
          action: 'github-issue',
          previewToken: preview.previewToken!,
          credentials: alice,
        });

      // A GitHub failure writes nothing, so the same preview may be tried again.
      writer.failNext = true;
      await expect(run(first)).rejects.toThrow(GithubWriteError);
      expect(writer.writes).toEqual([]);

      // Two instances racing: exactly one writes.
      const outcomes = await Promise.allSettled([run(first), run(second)]);
      expect(outcomes.filter(o => o.status === 'fulfilled')).toHaveLength(1);
      const [refused] = outcomes.filter(
        (o): o is PromiseRejectedResult => o.status === 'rejected',
      );
      expect(refused.reason).toBeInstanceOf(ConflictError);
      expect(writer.writes.map(w => w.split(' ')[0])).toEqual([
        'acme/checkout',
      ]);

      // Again on either instance, and on a fresh one (a restart): 409, nothing written.
      await expect(run(second)).rejects.toThrow(/already written/);
      const restarted = await instance(writer);
      await expect(run(restarted)).rejects.toThrow(ConflictError);
      expect(writer.writes).toHaveLength(1);

      const audit = await knex('audit_log')
        .where({ diagnosis_id: diagnoses.byLedgerDeploy.id })
        .orderBy('id');
      expect(audit.map(row => row.outcome)).toEqual(['failed', 'succeeded']);
    });
  });
});
