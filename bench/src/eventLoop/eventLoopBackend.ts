/*
 * The event-loop benchmark's backend process: the Product OS plugin with the Sentry, GitHub,
 * PagerDuty and PostHog modules and a catalog mock, on a real database (SQLite in a temporary
 * directory, or PostgreSQL), listening on a random loopback port. Started by eventLoop.js, which
 * asks it over IPC to measure the event loop's delay (perf_hooks.monitorEventLoopDelay) while it
 * sends one request.
 */
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import productOsPlugin from '@internal/plugin-product-os-backend';
import githubModule from '@internal/plugin-product-os-backend-module-github';
import pagerDutyModule from '@internal/plugin-product-os-backend-module-pagerduty';
import postHogModule from '@internal/plugin-product-os-backend-module-posthog';
import sentryModule from '@internal/plugin-product-os-backend-module-sentry';
import { monitorEventLoopDelay } from 'perf_hooks';

const settings = JSON.parse(process.env.BENCH_SETTINGS!);

async function main() {
  const backend = await startTestBackend({
    features: [
      productOsPlugin,
      sentryModule,
      githubModule,
      pagerDutyModule,
      postHogModule,
      catalogServiceMock.factory({
        entities: [
          {
            apiVersion: 'backstage.io/v1alpha1',
            kind: 'Component',
            metadata: {
              name: 'checkout',
              namespace: 'default',
              annotations: {
                'sentry.io/project-slug': settings.sentry.slug,
                'github.com/project-slug': settings.github.repository,
                'pagerduty.com/service-id': settings.pagerduty.serviceId,
                'product-os.io/posthog-project-key': settings.posthog.key,
              },
            },
            spec: {
              type: 'service',
              lifecycle: 'production',
              owner: 'group:default/payments',
            },
          },
        ],
      }),
      mockServices.database.factory(),
      mockServices.rootConfig.factory({
        data: {
          backend: { database: settings.database },
          productOs: {
            // The agent would compete for the loop being measured.
            agent: { enabled: false },
            ...(settings.inThreadBytes && {
              ingestWorkers: { inThreadBytes: settings.inThreadBytes },
            }),
            sources: {
              sentry: {
                projects: [
                  {
                    id: settings.sentry.projectId,
                    publicKey: settings.sentry.publicKey,
                    slug: settings.sentry.slug,
                  },
                ],
                rateLimitPerMinute: 1_000_000,
              },
              github: {
                webhookSecret: settings.github.secret,
                rateLimitPerMinute: 1_000_000,
              },
              pagerduty: {
                webhookSecrets: [settings.pagerduty.secret],
                rateLimitPerMinute: 1_000_000,
              },
              posthog: { rateLimitPerMinute: 1_000_000 },
            },
          },
        },
      }),
    ],
  });

  let histogram = monitorEventLoopDelay({ resolution: 1 });
  process.on('message', async (message: any) => {
    if (message.cmd === 'start') {
      histogram.disable();
      histogram = monitorEventLoopDelay({ resolution: 1 });
      histogram.enable();
      process.send!({ cmd: 'started' });
    } else if (message.cmd === 'stop') {
      histogram.disable();
      const ms = (ns: number) => Math.round((ns / 1e6) * 10) / 10;
      process.send!({
        cmd: 'stopped',
        maxMs: ms(histogram.max),
        p99Ms: ms(histogram.percentile(99)),
        meanMs: ms(histogram.mean),
      });
    } else if (message.cmd === 'exit') {
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
