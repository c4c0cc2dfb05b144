import { fakeDeploysScenario } from './fakeDeploys';
import { pagerDutyScenario } from './pagerduty';
import { postHogScenario } from './posthog';
import type { SyncScenario } from './SyncScenario';

/** Every scenario `yarn bench:sync` knows; a source module adds its own here. */
export const SYNC_SCENARIOS: SyncScenario[] = [
  fakeDeploysScenario,
  postHogScenario,
  pagerDutyScenario,
];
