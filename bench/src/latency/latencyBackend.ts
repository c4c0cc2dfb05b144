/*
 * The latency benchmark's backend process: the Product OS plugin with the diagnosis agent on,
 * the Sentry, GitHub, PagerDuty and PostHog modules and a catalog mock of BENCH_SERVICES services (one per
 * trial, so that trials do not merge into each other's anomalies), on a real database (SQLite in
 * a temporary directory, or PostgreSQL), listening on a random loopback port. Started by
 * latency.ts, which reaches it only over HTTP.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import productOsPlugin from '@internal/plugin-product-os-backend';
import githubModule from '@internal/plugin-product-os-backend-module-github';
import pagerDutyModule from '@internal/plugin-product-os-backend-module-pagerduty';
import postHogModule from '@internal/plugin-product-os-backend-module-posthog';
import sentryModule from '@internal/plugin-product-os-backend-module-sentry';
import { benchServices, KEY_METRIC, LatencySettings } from './services';

async function main() {
  const settings: LatencySettings = JSON.parse(process.env.BENCH_SETTINGS!);
  const services = benchServices(settings.services);
  const backend = await startTestBackend({
    features: [
      productOsPlugin,
      sentryModule,
      githubModule,
      pagerDutyModule,
      postHogModule,
      catalogServiceMock.factory({
        entities: services.map(service => ({
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: service.name,
            namespace: 'default',
            annotations: {
              'sentry.io/project-slug': service.sentry.slug,
              'github.com/project-slug': service.repository,
              'pagerduty.com/service-id': service.pagerDutyServiceId,
              'product-os.io/posthog-project-key': service.postHogKey,
              'product-os.io/key-metrics': KEY_METRIC,
            },
          },
          spec: {
            type: 'service',
            lifecycle: 'production',
            owner: 'group:default/payments',
          },
        })),
      }),
      mockServices.database.factory(),
      mockServices.rootConfig.factory({
        data: {
          backend: { database: settings.database },
          productOs: {
            agent: settings.agent ?? {},
            sources: {
              sentry: {
                projects: services.map(s => s.sentry),
                rateLimitPerMinute: 1_000_000,
              },
              github: {
                webhookSecret: settings.githubSecret,
                rateLimitPerMinute: 1_000_000,
              },
              pagerduty: {
                webhookSecrets: [settings.pagerDutySecret],
                rateLimitPerMinute: 1_000_000,
              },
              posthog: { rateLimitPerMinute: 1_000_000 },
            },
          },
        },
      }),
    ],
  });
  process.on('message', async (message: any) => {
    if (message.cmd === 'stop') {
      await backend.stop();
      process.exit(0);
    }
  });
  process.send!({ cmd: 'ready', port: backend.server.port() });
}

main().catch(error => {
  // eslint-disable-next-line no-console
  console.error(error);
  process.exit(1);
});
