import type { Config } from '@backstage/config';

export interface DemoConfig {
  backfillDays: number;
  tickMs: number;
  badDeploy: { delayMs: number; incidentDelayMs: number; durationMs: number };
  /** The secrets the demo signs with, as the real GitHub and PagerDuty would. */
  githubWebhookSecret: string;
  pagerDutyWebhookSecret: string;
}

/**
 * The demo's settings, or undefined when the demo is off. The demo plays GitHub and PagerDuty,
 * so it signs with the secrets the source modules verify; it refuses to start without them.
 */
export function readDemoConfig(config: Config): DemoConfig | undefined {
  const demo = config.getOptionalConfig('productOs.demo');
  if (!demo?.getOptionalBoolean('enabled')) return undefined;
  const githubWebhookSecret = config.getOptionalString(
    'productOs.sources.github.webhookSecret',
  );
  const pagerDutyWebhookSecret = config.getOptionalStringArray(
    'productOs.sources.pagerduty.webhookSecrets',
  )?.[0];
  if (!githubWebhookSecret || !pagerDutyWebhookSecret) {
    throw new Error(
      'productOs.demo.enabled needs productOs.sources.github.webhookSecret and ' +
        'productOs.sources.pagerduty.webhookSecrets; see examples/demo/app-config.yaml',
    );
  }
  const seconds = (key: string, fallback: number) =>
    (demo.getOptionalNumber(key) ?? fallback) * 1000;
  return {
    backfillDays: demo.getOptionalNumber('backfillDays') ?? 4,
    tickMs: seconds('tickSeconds', 10),
    badDeploy: {
      delayMs: seconds('badDeploy.delaySeconds', 60),
      incidentDelayMs: seconds('badDeploy.incidentDelaySeconds', 40),
      durationMs:
        (demo.getOptionalNumber('badDeploy.durationMinutes') ?? 30) * 60_000,
    },
    githubWebhookSecret,
    pagerDutyWebhookSecret,
  };
}
