/**
 * Product OS: Sentry error trends, PostHog analytics, PagerDuty incidents, GitHub changes and
 * the diagnosis agent's findings on catalog entities, and a leaders' page across them.
 *
 * @packageDocumentation
 */
export {
  productOsPlugin,
  ProductOsPage,
  EntityProductOsContent,
  EntityErrorTrendsCard,
  EntityAnalyticsCard,
  EntityIncidentHistoryCard,
  EntityChangesCard,
  EntityDiagnosesCard,
  EntityProductOsTimeline,
  EntityTeamHealthCard,
  EntityGroupProductOsContent,
  EntitySystemProductOsContent,
} from './plugin';
export { rootRouteRef } from './routes';
export * from './api';
export {
  isGithubAvailable,
  isPagerDutyAvailable,
  isPostHogAvailable,
  isProductOsAvailable,
  isSentryAvailable,
} from './lib/annotations';
