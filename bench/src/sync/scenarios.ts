import { fakeDeploysScenario } from './fakeDeploys';
import { gitHubBackfillScenario, gitHubSteadyScenario } from './github';
import { pagerDutyScenario } from './pagerduty';
import { postHogScenario } from './posthog';
import { sentryScenario } from './sentry';
import type { SyncScenario } from './SyncScenario';

/** Every scenario `yarn bench:sync` knows; a source module adds its own here. */
export const SYNC_SCENARIOS: SyncScenario[] = [
  fakeDeploysScenario,
  postHogScenario,
  pagerDutyScenario,
  sentryScenario,
  gitHubBackfillScenario,
  gitHubSteadyScenario,
];
