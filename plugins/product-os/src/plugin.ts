import {
  createApiFactory,
  createComponentExtension,
  createPlugin,
  createRoutableExtension,
  discoveryApiRef,
  fetchApiRef,
} from '@backstage/core-plugin-api';
import { ProductOsClient, productOsApiRef } from './api';
import { rootRouteRef } from './routes';

/** The Product OS frontend plugin, for the legacy frontend system. @public */
export const productOsPlugin = createPlugin({
  id: 'product-os',
  apis: [
    createApiFactory({
      api: productOsApiRef,
      deps: { discoveryApi: discoveryApiRef, fetchApi: fetchApiRef },
      factory: ({ discoveryApi, fetchApi }) =>
        new ProductOsClient({ discoveryApi, fetchApi }),
    }),
  ],
  routes: { root: rootRouteRef },
});

/** The leaders' page: entities ranked by health and the inbox of diagnoses needing a human. @public */
export const ProductOsPage = productOsPlugin.provide(
  createRoutableExtension({
    name: 'ProductOsPage',
    component: () =>
      import('./components/ProductOsPage').then(m => m.ProductOsPage),
    mountPoint: rootRouteRef,
  }),
);

/** The "Product OS" entity tab: health headline, timeline and every card. @public */
export const EntityProductOsContent = productOsPlugin.provide(
  createComponentExtension({
    name: 'EntityProductOsContent',
    component: {
      lazy: () =>
        import('./components/EntityProductOsContent').then(
          m => m.EntityProductOsContent,
        ),
    },
  }),
);

/** Sentry error volume with deploy markers and top error groups. Needs `sentry.io/project-slug`. @public */
export const EntityErrorTrendsCard = productOsPlugin.provide(
  createComponentExtension({
    name: 'EntityErrorTrendsCard',
    component: {
      lazy: () =>
        import('./components/EntityErrorTrendsCard').then(
          m => m.EntityErrorTrendsCard,
        ),
    },
  }),
);

/** PostHog key metrics against the previous period. Needs `product-os.io/posthog-project-key`. @public */
export const EntityAnalyticsCard = productOsPlugin.provide(
  createComponentExtension({
    name: 'EntityAnalyticsCard',
    component: {
      lazy: () =>
        import('./components/EntityAnalyticsCard').then(
          m => m.EntityAnalyticsCard,
        ),
    },
  }),
);

/**
 * PagerDuty incidents, resolved ones included, with response times and timelines. Needs
 * `pagerduty.com/service-id` or `pagerduty.com/integration-key`.
 * @public
 */
export const EntityIncidentHistoryCard = productOsPlugin.provide(
  createComponentExtension({
    name: 'EntityIncidentHistoryCard',
    component: {
      lazy: () =>
        import('./components/EntityIncidentHistoryCard').then(
          m => m.EntityIncidentHistoryCard,
        ),
    },
  }),
);

/** Deployments, merged PRs and releases, newest first. Needs `github.com/project-slug`. @public */
export const EntityChangesCard = productOsPlugin.provide(
  createComponentExtension({
    name: 'EntityChangesCard',
    component: {
      lazy: () =>
        import('./components/EntityChangesCard').then(m => m.EntityChangesCard),
    },
  }),
);

/** The agent's diagnoses, to review and act on. Needs any Product OS annotation. @public */
export const EntityDiagnosesCard = productOsPlugin.provide(
  createComponentExtension({
    name: 'EntityDiagnosesCard',
    component: {
      lazy: () =>
        import('./components/EntityDiagnosesCard').then(
          m => m.EntityDiagnosesCard,
        ),
    },
  }),
);

/** Deploys, anomalies, incidents, errors and diagnoses on one zoomable time axis. @public */
export const EntityProductOsTimeline = productOsPlugin.provide(
  createComponentExtension({
    name: 'EntityProductOsTimeline',
    component: {
      lazy: () =>
        import('./components/EntityProductOsTimeline').then(
          m => m.EntityProductOsTimeline,
        ),
    },
  }),
);

/**
 * A team's health for its Group page's overview: what it and every group below it own, ranked
 * by health (ties where the difference is noise), with incidents, deploys and open diagnoses.
 * @public
 */
export const EntityTeamHealthCard = productOsPlugin.provide(
  createComponentExtension({
    name: 'EntityTeamHealthCard',
    component: {
      lazy: () =>
        import('./components/EntityGroupProductOs').then(
          m => m.EntityTeamHealthCard,
        ),
    },
  }),
);

/** The "Product OS" tab of a group: the team's health and the 90-day trend of its figures. @public */
export const EntityGroupProductOsContent = productOsPlugin.provide(
  createComponentExtension({
    name: 'EntityGroupProductOsContent',
    component: {
      lazy: () =>
        import('./components/EntityGroupProductOs').then(
          m => m.EntityGroupProductOsContent,
        ),
    },
  }),
);

/**
 * The "Product OS" tab of a system: its components ranked by health, their open diagnoses,
 * their case files on one timeline and the 90-day trend.
 * @public
 */
export const EntitySystemProductOsContent = productOsPlugin.provide(
  createComponentExtension({
    name: 'EntitySystemProductOsContent',
    component: {
      lazy: () =>
        import('./components/EntitySystemProductOs').then(
          m => m.EntitySystemProductOsContent,
        ),
    },
  }),
);
