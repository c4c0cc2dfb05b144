/**
 * Product OS for the new frontend system.
 *
 * @packageDocumentation
 */
import { Entity } from '@backstage/catalog-model';
import {
  ApiBlueprint,
  createFrontendPlugin,
  discoveryApiRef,
  fetchApiRef,
  PageBlueprint,
} from '@backstage/frontend-plugin-api';
import {
  EntityCardBlueprint,
  EntityContentBlueprint,
} from '@backstage/plugin-catalog-react/alpha';
import { ProductOsClient, productOsApiRef } from './api';
import {
  isGithubAvailable,
  isPagerDutyAvailable,
  isPostHogAvailable,
  isProductOsAvailable,
  isSentryAvailable,
} from './lib/annotations';
import { rootRouteRef } from './routes';

/**
 * Product OS applies to what runs (components), to what groups them (systems) and to who owns
 * them (groups); the tab of a system or group is their roll-up.
 */
const kindFilter = { kind: { $in: ['component', 'system', 'group'] } };

/** Components and systems for which `isLinked` holds. */
function whenLinked(isLinked: (entity: Entity) => boolean) {
  return (entity: Entity) =>
    ['component', 'system'].includes(entity.kind.toLocaleLowerCase('en-US')) &&
    isLinked(entity);
}

/** The Product OS API client. @alpha */
export const productOsApi = ApiBlueprint.make({
  params: defineParams =>
    defineParams({
      api: productOsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProductOsClient({ discoveryApi, fetchApi }),
    }),
});

/** The leaders' page at `/product-os`. @alpha */
export const productOsPage = PageBlueprint.make({
  params: {
    path: '/product-os',
    routeRef: rootRouteRef,
    title: 'Product OS',
    // The page draws its own header.
    noHeader: true,
    loader: () =>
      import('./components/ProductOsPage').then(m => <m.ProductOsPage />),
  },
});

/** The "Product OS" tab of components, systems and groups. @alpha */
export const productOsEntityContent = EntityContentBlueprint.make({
  params: {
    path: '/product-os',
    title: 'Product OS',
    group: 'observability',
    filter: kindFilter,
    loader: () =>
      import('./components/EntityProductOsContent').then(m => (
        <m.EntityProductOsContent />
      )),
  },
});

/** Sentry error trends on the overview. @alpha */
export const productOsErrorTrendsCard = EntityCardBlueprint.make({
  name: 'error-trends',
  params: {
    filter: whenLinked(isSentryAvailable),
    loader: () =>
      import('./components/EntityErrorTrendsCard').then(m => (
        <m.EntityErrorTrendsCard />
      )),
  },
});

/** PostHog key metrics on the overview. @alpha */
export const productOsAnalyticsCard = EntityCardBlueprint.make({
  name: 'analytics',
  params: {
    filter: whenLinked(isPostHogAvailable),
    loader: () =>
      import('./components/EntityAnalyticsCard').then(m => (
        <m.EntityAnalyticsCard />
      )),
  },
});

/** PagerDuty incident history on the overview. @alpha */
export const productOsIncidentHistoryCard = EntityCardBlueprint.make({
  name: 'incident-history',
  params: {
    filter: whenLinked(isPagerDutyAvailable),
    loader: () =>
      import('./components/EntityIncidentHistoryCard').then(m => (
        <m.EntityIncidentHistoryCard />
      )),
  },
});

/** GitHub changes on the overview. @alpha */
export const productOsChangesCard = EntityCardBlueprint.make({
  name: 'changes',
  params: {
    filter: whenLinked(isGithubAvailable),
    loader: () =>
      import('./components/EntityChangesCard').then(m => (
        <m.EntityChangesCard />
      )),
  },
});

/** The agent's diagnoses on the overview. @alpha */
export const productOsDiagnosesCard = EntityCardBlueprint.make({
  name: 'diagnoses',
  params: {
    filter: whenLinked(isProductOsAvailable),
    loader: () =>
      import('./components/EntityDiagnosesCard').then(m => (
        <m.EntityDiagnosesCard />
      )),
  },
});

/** The case-file timeline on the overview. @alpha */
export const productOsTimelineCard = EntityCardBlueprint.make({
  name: 'timeline',
  params: {
    filter: whenLinked(isProductOsAvailable),
    loader: () =>
      import('./components/EntityProductOsTimeline').then(m => (
        <m.EntityProductOsTimeline />
      )),
  },
});

/** A team's health on a group's overview. @alpha */
export const productOsTeamHealthCard = EntityCardBlueprint.make({
  name: 'team-health',
  params: {
    filter: { kind: 'group' },
    loader: () =>
      import('./components/EntityGroupProductOs').then(m => (
        <m.EntityTeamHealthCard />
      )),
  },
});

/** The Product OS plugin for the new frontend system. @alpha */
export default createFrontendPlugin({
  pluginId: 'product-os',
  title: 'Product OS',
  routes: { root: rootRouteRef },
  extensions: [
    productOsApi,
    productOsPage,
    productOsEntityContent,
    productOsErrorTrendsCard,
    productOsAnalyticsCard,
    productOsIncidentHistoryCard,
    productOsChangesCard,
    productOsDiagnosesCard,
    productOsTimelineCard,
    productOsTeamHealthCard,
  ],
});
