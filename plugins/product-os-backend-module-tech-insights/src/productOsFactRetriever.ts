import { AuthService, DiscoveryService } from '@backstage/backend-plugin-api';
import { ResponseError } from '@backstage/errors';
import type {
  FactRetriever,
  TechInsightFact,
} from '@backstage-community/plugin-tech-insights-node';
import type { EntityFacts } from '@internal/plugin-product-os-common';

/** The id the facts are stored under, and that checks name in `factIds`. */
export const PRODUCT_OS_FACT_RETRIEVER_ID = 'productOsFactRetriever';

/** The window the error and health facts are of: a week, against the week before. */
const WINDOW = '7d';

const HOUR_MS = 3_600_000;

/**
 * What Product OS says about each entity, as Tech Insights facts. Facts without data are left
 * out rather than written as zero (a DORA lead time with no deployment), so a check on them is
 * skipped instead of passing or failing on a made-up number.
 */
const schema: FactRetriever['schema'] = {
  healthScore: {
    type: 'integer',
    description:
      'Product OS health score of the last 7 days, 0 to 100, higher is healthier',
  },
  openDiagnoses: {
    type: 'integer',
    description: 'Diagnoses of the monitoring agent that are still open',
  },
  diagnosesNeedingHuman: {
    type: 'integer',
    description: 'Open diagnoses that wait for a person',
  },
  errorEvents7d: {
    type: 'integer',
    description: 'Error events in the last 7 days',
  },
  errorEventsPrevious7d: {
    type: 'integer',
    description: 'Error events in the 7 days before those',
  },
  errorTrendPercent: {
    type: 'float',
    description:
      'Change of error events from the previous 7 days to the last 7, in percent (absent when the previous 7 days had none)',
  },
  newErrorGroups7d: {
    type: 'integer',
    description: 'Error groups first seen in the last 7 days',
  },
  regressedErrorGroups7d: {
    type: 'integer',
    description:
      'Error groups that came back after being resolved, in the last 7 days',
  },
  openIncidents: { type: 'integer', description: 'Incidents not resolved' },
  doraDeploymentFrequency: {
    type: 'float',
    description:
      'Production deployment days per week over the last 30 days (DORA)',
  },
  doraLeadTimeHours: {
    type: 'float',
    description:
      'Median hours from first commit to production over the last 30 days (DORA; absent without deployments)',
  },
  doraChangeFailureRate: {
    type: 'float',
    description:
      'Share of production deployments of the last 30 days followed by an incident or a diagnosis naming them, 0 to 1 (DORA; absent without deployments)',
  },
  doraRecoveryTimeHours: {
    type: 'float',
    description:
      'Median hours from a failed deployment to its incident’s resolution over the last 30 days (DORA; absent without recoveries)',
  },
  doraBand: {
    type: 'string',
    description:
      'Overall DORA performance band of the last 30 days: elite, high, medium or low (absent without data)',
  },
};

/** The entity ref `kind:namespace/name` as Tech Insights keys facts. */
function entityOf(entityRef: string): TechInsightFact['entity'] {
  const [kind, rest] = entityRef.split(':');
  const [namespace, name] = rest.split('/');
  return { kind, namespace, name };
}

const hours = (ms: number | null) =>
  ms === null ? undefined : Math.round((ms / HOUR_MS) * 100) / 100;

/** The flat facts of one entity; a figure without data is absent. */
export function toTechInsightFacts(
  facts: EntityFacts,
): TechInsightFact['facts'] {
  const { errors, dora } = facts;
  const values: Record<string, number | string | undefined> = {
    healthScore: facts.healthScore,
    openDiagnoses: facts.openDiagnoses,
    diagnosesNeedingHuman: facts.diagnosesNeedingHuman,
    errorEvents7d: errors.events,
    errorEventsPrevious7d: errors.previousEvents,
    errorTrendPercent:
      errors.previousEvents > 0
        ? Math.round(
            ((errors.events - errors.previousEvents) / errors.previousEvents) *
              1000,
          ) / 10
        : undefined,
    newErrorGroups7d: errors.newGroups,
    regressedErrorGroups7d: errors.regressedGroups,
    openIncidents: facts.openIncidents,
    doraDeploymentFrequency: dora.figures.deploymentFrequency,
    doraLeadTimeHours: hours(dora.figures.leadTimeMs),
    doraChangeFailureRate: dora.figures.changeFailureRate ?? undefined,
    doraRecoveryTimeHours: hours(dora.figures.recoveryTimeMs),
    doraBand: dora.bands.overall ?? undefined,
  };
  return Object.fromEntries(
    Object.entries(values).filter(([, v]) => v !== undefined),
  ) as TechInsightFact['facts'];
}

/**
 * The fact retriever: one request to the Product OS API (`GET /facts`) as the Tech Insights
 * plugin itself, for every entity Product OS tracks. Product OS answers only with entities its
 * own permission and the catalog let that caller see; it stays the only reader of its tables.
 */
export function createProductOsFactRetriever(): FactRetriever {
  return {
    id: PRODUCT_OS_FACT_RETRIEVER_ID,
    version: '0.1.0',
    title: 'Product OS',
    description:
      'Health score, errors, incidents, diagnoses and DORA figures from Product OS',
    entityFilter: [{ kind: ['component', 'system'] }],
    schema,
    async handler({ discovery, auth, logger }) {
      const items = await fetchFacts(discovery, auth);
      logger.info(`Product OS facts for ${items.length} entities`);
      return items.map(facts => ({
        entity: entityOf(facts.entityRef),
        facts: toTechInsightFacts(facts),
      }));
    },
  };
}

async function fetchFacts(
  discovery: DiscoveryService,
  auth: AuthService,
): Promise<EntityFacts[]> {
  const [baseUrl, { token }] = await Promise.all([
    discovery.getBaseUrl('product-os'),
    auth.getPluginRequestToken({
      onBehalfOf: await auth.getOwnServiceCredentials(),
      targetPluginId: 'product-os',
    }),
  ]);
  const response = await fetch(`${baseUrl}/facts?window=${WINDOW}`, {
    headers: { Authorization: `Bearer ${token}` },
  });
  if (!response.ok) throw await ResponseError.fromResponse(response);
  const body = (await response.json()) as { items: EntityFacts[] };
  return body.items;
}
