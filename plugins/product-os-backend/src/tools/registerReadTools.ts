import { stringifyEntityRef } from '@backstage/catalog-model';
import type {
  ActionsRegistryActionOptions,
  ActionsRegistryService,
} from '@backstage/backend-plugin-api/alpha';
import {
  DIAGNOSIS_STATUSES,
  DiagnosisStatus,
  productOsReadPermission,
  TIME_WINDOWS,
} from '@internal/plugin-product-os-common';
import type { LeadersReads } from '../leaders/LeadersService';
import type { EntityFactsService } from '../read/EntityFactsService';
import type { EntityReadService } from '../read/EntityReadService';
import { toRange } from '../service/parameters';
import type { ToolAccess } from './toolAccess';

/*
 * The zod shapes of the agent tools' inputs and outputs. Each is a function of the zod the actions
 * registry passes, as the registry asks, so the JSON schemas MCP clients see are derived from the
 * same objects that validate the calls.
 */

/** The zod of the actions registry, which need not be the version this plugin depends on. */
type Z = Parameters<
  ActionsRegistryActionOptions<any, any>['schema']['input']
>[0];

const CHANGE_KINDS = [
  'commit',
  'pull_request',
  'deployment',
  'release',
  'change',
] as const;

const entityInput = (z: Z) =>
  z.object({
    entityRef: z
      .string()
      .min(1)
      .describe(
        'The catalog entity, e.g. component:default/checkout-api (kind component and namespace default when left out)',
      ),
    window: z
      .enum(TIME_WINDOWS)
      .default('7d')
      .describe('How far back to look, ending now'),
  });

const changesInput = (z: Z) =>
  entityInput(z).extend({
    kinds: z
      .array(z.enum(CHANGE_KINDS))
      .optional()
      .describe('Only these kinds of change; every kind when left out'),
    limit: z.number().int().min(1).max(100).default(20),
  });

const diagnosesInput = (z: Z) =>
  z.object({
    entityRef: entityInput(z).shape.entityRef,
    statuses: z
      .array(
        z.enum(DIAGNOSIS_STATUSES as [DiagnosisStatus, ...DiagnosisStatus[]]),
      )
      .optional()
      .describe('Only diagnoses in these statuses; every status when left out'),
    limit: z.number().int().min(1).max(50).default(10),
  });

const window = (z: Z) => z.object({ from: z.string(), to: z.string() });
const nullableNumber = (z: Z) => z.number().nullable();
const band = (z: Z) => z.enum(['elite', 'high', 'medium', 'low']).nullable();

const doraFigures = (z: Z) =>
  z.object({
    deployments: z.number(),
    deploymentDays: z.number(),
    deploymentFrequency: z
      .number()
      .describe('Production deployment days per week'),
    leadTimeMs: nullableNumber(z),
    changes: z.number(),
    failedDeployments: z.number(),
    changeFailureRate: nullableNumber(z),
    recoveryTimeMs: nullableNumber(z),
    recoveries: z.number(),
    reworkDeployments: z.number(),
    reworkRate: nullableNumber(z),
  });

const doraBands = (z: Z) =>
  z.object({
    deploymentFrequency: band(z),
    leadTime: band(z),
    changeFailureRate: band(z),
    recoveryTime: band(z),
    overall: band(z),
  });

const healthOutput = (z: Z) =>
  z.object({
    entityRef: z.string(),
    window: window(z),
    healthScore: z.number().describe('0 to 100, higher is healthier'),
    healthInputs: z
      .array(
        z.object({
          name: z.string(),
          value: z.number(),
          unit: z.string(),
          penalty: z.number().describe('Points this input took off 100'),
        }),
      )
      .describe('Every input of the score and what it cost'),
    errors: z.object({
      events: z.number(),
      previousEvents: z
        .number()
        .describe('Events in the window of the same length just before'),
      newGroups: z.number(),
      regressedGroups: z.number(),
    }),
    openIncidents: z.number(),
    openDiagnoses: z.number(),
    diagnosesNeedingHuman: z.number(),
    dora: z.object({
      days: z.number(),
      figures: doraFigures(z),
      bands: doraBands(z),
    }),
  });

const change = (z: Z) =>
  z.object({
    kind: z.string(),
    source: z.string(),
    title: z.string(),
    author: z.string().optional(),
    sha: z.string().optional(),
    number: z.number().optional(),
    environment: z.string().optional(),
    status: z.string().optional(),
    url: z.string().optional(),
    occurredAt: z.string(),
  });

const errorTrendOutput = (z: Z) =>
  z.object({
    window: window(z),
    bucket: z.string(),
    points: z
      .array(z.object({ time: z.string(), value: z.number() }))
      .describe('Error events per bucket, oldest first'),
    deploys: z.array(change(z)).describe('Deployments in the window'),
  });

const changesOutput = (z: Z) => z.object({ items: z.array(change(z)) });

const incidentsOutput = (z: Z) =>
  z.object({
    items: z.array(
      z.object({
        source: z.string(),
        title: z.string(),
        status: z.string(),
        urgency: z.string().optional(),
        priority: z.string().optional(),
        createdAt: z.string(),
        acknowledgedAt: z.string().optional(),
        resolvedAt: z.string().optional(),
        assignees: z.array(z.string()),
        url: z.string().optional(),
      }),
    ),
  });

const diagnosesOutput = (z: Z) =>
  z.object({
    items: z.array(
      z.object({
        id: z.number(),
        status: z.string(),
        actionability: z.string(),
        summary: z.string(),
        nextStep: z.string().optional(),
        confidence: z.number(),
        createdAt: z.string(),
        suspects: z
          .array(
            z.object({
              rank: z.number(),
              confidence: z.number(),
              change: change(z).extend({ entityRef: z.string() }),
            }),
          )
          .describe('Changes the agent suspects, most likely first'),
      }),
    ),
  });

const teamInput = (z: Z) =>
  z.object({
    groupRef: z
      .string()
      .min(1)
      .describe(
        'The team, e.g. group:default/payments (kind group and namespace default when left out)',
      ),
  });

const doraWindows = (z: Z) =>
  z.array(
    z.object({
      days: z.number(),
      from: z.string(),
      to: z.string(),
      current: doraFigures(z),
      previous: doraFigures(z).describe('The period of the same length before'),
      bands: doraBands(z),
    }),
  );

const rollupOutput = (z: Z) =>
  z.object({
    subjectRef: z.string(),
    groups: z
      .array(z.string())
      .optional()
      .describe('The team and every group below it, whose services count'),
    score: z
      .number()
      .nullable()
      .describe("Mean of the services' health scores; null without services"),
    tieMargin: z.number(),
    members: z
      .array(
        z.object({
          entityRef: z.string(),
          title: z.string().optional(),
          kind: z.string(),
          owner: z.string().optional(),
          system: z.string().optional(),
          score: z.number(),
          rank: z
            .number()
            .describe(
              '1 needs attention first; scores within the tie margin, with the same open incidents and diagnoses waiting, share a rank',
            ),
          openIncidents: z.number(),
          diagnosesNeedingHuman: z
            .number()
            .describe('Open diagnoses waiting for a person'),
          deployments: z
            .number()
            .describe(
              'Production deployments that finished in the 7 days the score covers',
            ),
          incidents: z
            .number()
            .describe(
              'Incidents created in the 7 days the score covers, resolved or not',
            ),
        }),
      )
      .describe("The team's services, worst health first"),
    dora: z.object({ subjectRef: z.string(), windows: doraWindows(z) }),
    openDiagnoses: z.number(),
    diagnosesNeedingHuman: z.number(),
    openIncidents: z.number(),
    asOf: z
      .string()
      .describe(
        "ISO time the figures are from: the hourly snapshot task's last run, or the request when they were computed for it",
      ),
    history: z
      .array(z.object({ day: z.string(), score: z.number() }))
      .describe('The daily score of the last 90 days, oldest first'),
  });

export interface ReadToolsOptions {
  registry: ActionsRegistryService;
  access: ToolAccess;
  entity: EntityReadService;
  facts: EntityFactsService;
  leaders: Pick<LeadersReads, 'rollup'>;
  now?: () => number;
}

/** Read-only, and the same answer for the same data: what MCP clients may call freely. */
const READ_ONLY = { readOnly: true, destructive: false, idempotent: true };

/**
 * Registers the Product OS reads as actions of the Backstage actions registry, which the MCP
 * actions backend offers to MCP clients as tools. A tool is listed only to callers with the read
 * permission (`visibilityPermission`), and each call checks it again and reads the entity from the
 * catalog as the caller, so what an agent can ask for is what its user could read in the portal.
 * Diagnoses pass the same redaction as in the HTTP API.
 */
export function registerReadTools(options: ReadToolsOptions): void {
  const { registry, access, entity, facts, leaders } = options;
  const now = options.now ?? Date.now;

  registry.register({
    name: 'get-entity-health',
    title: 'Product OS: entity health',
    description:
      'The health score (0-100) of a catalog entity over a window with every input and what it cost, error events against the previous window, new and regressed error groups, open incidents and diagnoses, and DORA figures of the last 30 days.',
    visibilityPermission: productOsReadPermission,
    attributes: READ_ONLY,
    schema: { input: entityInput, output: healthOutput },
    async action({ input, credentials }) {
      const found = await access.readableEntity(input.entityRef, credentials);
      const [output] = await facts.of(
        [{ entity: found, entityRef: stringifyEntityRef(found) }],
        toRange({ window: input.window }, now()),
      );
      return { output };
    },
  });

  registry.register({
    name: 'get-error-trend',
    title: 'Product OS: error trend',
    description:
      'Error events of a catalog entity per hour or day over a window, with the deployments in it, to see whether errors rose after a deployment.',
    visibilityPermission: productOsReadPermission,
    attributes: READ_ONLY,
    schema: { input: entityInput, output: errorTrendOutput },
    async action({ input, credentials }) {
      const found = await access.readableEntity(input.entityRef, credentials);
      return {
        output: await entity.errorTrend(
          stringifyEntityRef(found),
          toRange({ window: input.window }, now()),
        ),
      };
    },
  });

  registry.register({
    name: 'list-recent-changes',
    title: 'Product OS: recent changes',
    description:
      'Commits, pull requests, deployments and releases of a catalog entity in a window, newest first.',
    visibilityPermission: productOsReadPermission,
    attributes: READ_ONLY,
    schema: { input: changesInput, output: changesOutput },
    async action({ input, credentials }) {
      const found = await access.readableEntity(input.entityRef, credentials);
      return {
        output: {
          items: await entity.changes(stringifyEntityRef(found), {
            ...toRange({ window: input.window }, now()),
            kinds: input.kinds,
            limit: input.limit,
          }),
        },
      };
    },
  });

  registry.register({
    name: 'list-incidents',
    title: 'Product OS: incidents',
    description:
      'Incidents of a catalog entity open in a window or created or resolved in it, with their status, urgency and times.',
    visibilityPermission: productOsReadPermission,
    attributes: READ_ONLY,
    schema: { input: entityInput, output: incidentsOutput },
    async action({ input, credentials }) {
      const found = await access.readableEntity(input.entityRef, credentials);
      return {
        output: {
          items: await entity.incidents(
            stringifyEntityRef(found),
            toRange({ window: input.window }, now()),
          ),
        },
      };
    },
  });

  registry.register({
    name: 'list-diagnoses',
    title: 'Product OS: diagnoses',
    description:
      "The monitoring agent's diagnoses of a catalog entity, newest first: what went wrong, the suspected changes ranked, and the next step. What they tell about entities the caller cannot see is left out.",
    visibilityPermission: productOsReadPermission,
    attributes: READ_ONLY,
    schema: { input: diagnosesInput, output: diagnosesOutput },
    async action({ input, credentials }) {
      const found = await access.readableEntity(input.entityRef, credentials);
      return {
        output: {
          items: await entity.diagnoses(
            stringifyEntityRef(found),
            { statuses: input.statuses, limit: input.limit },
            credentials,
          ),
        },
      };
    },
  });

  registry.register({
    name: 'get-team-rollup',
    title: 'Product OS: team roll-up',
    description:
      "A team's roll-up, counting the services of the group and of every group below it: their health scores ranked worst first with each one's production deployments and incidents of the week, the team's pooled DORA over 7, 30 and 90 days, open incidents and diagnoses, when the figures are from (asOf), and the daily score of the last 90 days. Only services the caller may see count.",
    visibilityPermission: productOsReadPermission,
    attributes: READ_ONLY,
    schema: { input: teamInput, output: rollupOutput },
    async action({ input, credentials }) {
      const group = await access.readableEntity(
        input.groupRef,
        credentials,
        'group',
      );
      return {
        output: await leaders.rollup(
          'group',
          stringifyEntityRef(group),
          credentials,
          now(),
        ),
      };
    },
  });
}
