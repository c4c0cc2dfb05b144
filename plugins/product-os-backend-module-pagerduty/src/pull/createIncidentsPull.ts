import { PAGERDUTY_SERVICE_ID_ANNOTATION } from '@internal/plugin-product-os-common';
import type {
  ProductOsPull,
  ProductOsPullSource,
} from '@internal/plugin-product-os-node';
import { PagerDutyPullConfig, PULL_TOKEN_KEY } from '../config';
import { PagerDutyClient, PagerDutyClientOptions } from './PagerDutyClient';
import { pullServiceIncidents } from './pullServiceIncidents';

/**
 * The entity's PagerDuty services as one scope: the ids of its `pagerduty.com/service-id`
 * (several may be listed, comma-separated), sorted, so entities naming the same services are
 * pulled once.
 */
export function serviceScopeOf(
  annotations: Record<string, string>,
): string | undefined {
  const ids = [
    ...new Set(
      (annotations[PAGERDUTY_SERVICE_ID_ANNOTATION] ?? '')
        .split(',')
        .map(id => id.trim())
        .filter(Boolean),
    ),
  ].sort();
  return ids.length > 0 ? ids.join(',') : undefined;
}

/**
 * PagerDuty's pull: the incidents (resolved ones too) of each entity's services, with their log
 * entries as the timeline, and the services' change events. Without a token it only says how to
 * connect it.
 */
export function createPagerDutyPull(
  config: PagerDutyPullConfig | undefined,
  clientOptions: Partial<PagerDutyClientOptions> = {},
): ProductOsPullSource {
  if (!config) {
    return {
      configured: false,
      howToConnect: `Set ${PULL_TOKEN_KEY} to a PagerDuty REST API key (and productOs.sources.pagerduty.pull.region: eu for an EU account).`,
      annotations: [PAGERDUTY_SERVICE_ID_ANNOTATION],
    };
  }
  const client = new PagerDutyClient({
    baseUrl: config.baseUrl,
    token: config.token,
    requestTimeoutMs: config.requestTimeoutMs,
    ...clientOptions,
  });
  const incidents: ProductOsPull = {
    id: 'incidents',
    annotations: [PAGERDUTY_SERVICE_ID_ANNOTATION],
    scopeOf: entity => serviceScopeOf(entity.annotations),
    schedule: {
      frequency: { minutes: 10 },
      timeout: { minutes: 15 },
      initialDelay: { seconds: 30 },
    },
    // A back-filling scope costs a request per page of incidents, one per incident (its log) and
    // one per service (change events); once caught up, about 3. With 1,000 scopes a run, 2,000
    // services back-fill in 2 runs, and a caught-up run spends about 3,000 of the 9,600 requests
    // PagerDuty allows a key in 10 minutes (960 a minute). 4 at a time at 150 ms ask about 1,600
    // a minute: while back-filling the client waits out PagerDuty's 429s (`ratelimit-reset`).
    scopesPerRun: 1_000,
    concurrency: 4,
    pull: request =>
      pullServiceIncidents(client, request, {
        backfillDays: config.backfillDays,
      }),
  };
  return { configured: true, pulls: [incidents] };
}
