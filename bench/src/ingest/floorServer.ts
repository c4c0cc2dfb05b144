/*
 * The ceiling of any Backstage plugin: a backend with one plugin whose envelope route does only
 * what the bare server does (read the body, parse the envelope and its event, answer like
 * Sentry), behind Backstage's own HTTP stack (root router, plugin router, auth policy). The gap
 * between this and the bare server is what a route pays for living in Backstage before it stores
 * anything; the gap between the backend and this is Product OS's own.
 */
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { startTestBackend } from '@backstage/backend-test-utils';
import { readRequestBody } from '@internal/plugin-product-os-node';
import {
  parseEnvelope,
  parseJsonObject,
} from '@internal/plugin-product-os-backend-module-sentry/src/envelope/parseEnvelope';
import { answerServerMessages } from './serverMessages';

let events = 0;
const ENVELOPE_PATH = /^\/sentry\/api\/[^/]+\/envelope\/?$/;

/** Mounted where the real plugin is, so the load generator sends the same requests. */
const floorPlugin = createBackendPlugin({
  pluginId: 'product-os',
  register(env) {
    env.registerInit({
      deps: { httpRouter: coreServices.httpRouter },
      async init({ httpRouter }) {
        // No router: one route, and nothing between Backstage's stack and it.
        httpRouter.use((req, res, next) => {
          if (req.method !== 'POST' || !ENVELOPE_PATH.test(req.path)) {
            next();
            return;
          }
          readRequestBody(req)
            .then(body => {
              const envelope = parseEnvelope(body);
              for (const item of envelope.items) {
                if (item.header.type === 'event') {
                  parseJsonObject(item.payload, 'event');
                  events += 1;
                }
              }
              // As the Sentry module answers: no ETag to compute for a body nobody caches.
              const text = JSON.stringify({ id: envelope.header.event_id });
              res.writeHead(200, {
                'content-type': 'application/json; charset=utf-8',
                'content-length': Buffer.byteLength(text),
              });
              res.end(text);
            })
            .catch(next);
        });
        httpRouter.addAuthPolicy({ path: '/sentry', allow: 'unauthenticated' });
      },
    });
  },
});

async function main() {
  const backend = await startTestBackend({ features: [floorPlugin] });
  answerServerMessages({
    counts: async () => ({ events, counted: events, groups: 0 }),
    stop: () => backend.stop(),
  });
  process.send!({
    cmd: 'ready',
    port: backend.server.port(),
    projects: [{ id: '4505', publicKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' }],
    rssBytes: process.memoryUsage().rss,
  });
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
