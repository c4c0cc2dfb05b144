import type { DemoGitHub } from './DemoGitHub';
import type { DemoPagerDuty } from './DemoPagerDuty';
import type { DemoPostHog } from './DemoPostHog';
import type { DemoSentry } from './DemoSentry';

export { DemoGitHub } from './DemoGitHub';
export { DemoPagerDuty } from './DemoPagerDuty';
export { DemoPostHog } from './DemoPostHog';
export { DemoSentry } from './DemoSentry';

/** The clients through which the demo's services report, one per source. */
export interface DemoSenders {
  sentry: DemoSentry;
  posthog: DemoPostHog;
  github: DemoGitHub;
  pagerduty: DemoPagerDuty;
}
