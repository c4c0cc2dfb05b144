/*
 * Realistic Sentry error events for the benchmark: what @sentry/node sends for an exception in an
 * Express service, about 10 KB each (a 20-frame stack with context lines, breadcrumbs, request,
 * contexts, tags), spread over a fixed number of groups.
 */
import crypto from 'crypto';

const TYPES = [
  'TypeError',
  'RangeError',
  'Error',
  'SyntaxError',
  'ReferenceError',
  'GatewayTimeoutError',
];
const MODULES = [
  'checkout',
  'payments',
  'cart',
  'inventory',
  'pricing',
  'shipping',
  'accounts',
  'orders',
];

function contextLines(seed: number): string[] {
  return Array.from(
    { length: 3 },
    (_, i) => `  const v${i} = await svc${seed}.lookup(req.params.id);`,
  );
}

function frame(group: number, depth: number, inApp: boolean) {
  const module = MODULES[(group + depth) % MODULES.length];
  const filename = inApp
    ? `/srv/app/src/${module}/handler${group % 17}_${depth}.js`
    : `/srv/app/node_modules/express/lib/router/layer${depth}.js`;
  return {
    filename,
    module: inApp
      ? `${module}:handler${group % 17}_${depth}`
      : `express.lib.router:layer${depth}`,
    function: inApp ? `${module}Step${group}_${depth}` : `Layer.handle${depth}`,
    lineno: 10 + depth * 7,
    colno: 5 + depth,
    in_app: inApp,
    ...(inApp && {
      pre_context: contextLines(group),
      context_line: `  throw new ${
        TYPES[group % TYPES.length]
      }(\`failed for \${id}\`);`,
      post_context: contextLines(depth),
    }),
  };
}

/** The part of an event that is the same for every event of a group. */
export type GroupTemplate = ReturnType<typeof groupTemplate>;

export function groupTemplate(group: number) {
  const frames = [];
  for (let depth = 0; depth < 20; depth++)
    frames.push(frame(group, depth, depth >= 12));
  return {
    type: TYPES[group % TYPES.length],
    message: `Operation ${
      MODULES[group % MODULES.length]
    }#${group} failed for order %d after %d ms`,
    frames,
  };
}

function breadcrumbs(n: number, atSeconds: number) {
  return Array.from({ length: 16 }, (_, i) => ({
    timestamp: atSeconds - 16 + i,
    category: i % 3 === 0 ? 'http' : 'console',
    level: 'info',
    message: i % 3 === 0 ? undefined : `processed step ${i} of request ${n}`,
    data:
      i % 3 === 0
        ? {
            method: 'GET',
            url: `http://inventory.internal/items/${n}`,
            status_code: 200,
          }
        : undefined,
  }));
}

/** A whole event, JSON-serialized, of a group's template, sequence number `n`, at `atMs`. */
function makeEvent(template: GroupTemplate, n: number, atMs: number) {
  const eventId = crypto.randomUUID().replace(/-/g, '');
  const event = {
    event_id: eventId,
    timestamp: atMs / 1000,
    platform: 'node',
    level: 'error',
    server_name: 'checkout-7f9c6d-abcde',
    release: 'checkout-api@2.14.0',
    environment: 'production',
    exception: {
      values: [
        {
          type: template.type,
          value: template.message
            .replace('%d', String(n))
            .replace('%d', String(n % 5000)),
          stacktrace: { frames: template.frames },
          mechanism: { type: 'generic', handled: true },
        },
      ],
    },
    breadcrumbs: breadcrumbs(n, atMs / 1000),
    request: {
      method: 'POST',
      url: `https://shop.example.com/api/orders/${n}/checkout`,
      headers: {
        'user-agent': 'Mozilla/5.0 (X11; Linux x86_64)',
        accept: 'application/json',
        host: 'shop.example.com',
      },
    },
    user: { id: `customer-${n % 1000}`, ip_address: `198.51.100.${n % 250}` },
    contexts: {
      trace: {
        trace_id: crypto.randomBytes(16).toString('hex'),
        span_id: crypto.randomBytes(8).toString('hex'),
      },
      runtime: { name: 'node', version: 'v22.11.0' },
      os: { name: 'Linux', version: '6.1.0' },
    },
    tags: {
      region: 'eu-west-1',
      tenant: `tenant-${n % 20}`,
      feature_flag: 'new-checkout',
    },
    sdk: {
      name: 'sentry.javascript.node',
      version: '10.78.0',
      packages: [{ name: 'npm:@sentry/node', version: '10.78.0' }],
    },
  };
  return { eventId, json: JSON.stringify(event) };
}

/** The envelope an SDK sends for one event, sent now. */
export function makeEnvelope(
  template: GroupTemplate,
  n: number,
  dsn: string,
): Buffer {
  return makeBatchEnvelope([{ template, n, atMs: Date.now() }], dsn);
}

/**
 * One envelope carrying several events, as a relay or an SDK's offline cache forwards them:
 * the same endpoint and parser as single events, fewer requests. Events may lie in the past;
 * `sent_at` is now, so no clock drift is measured and their own timestamps stand.
 */
export function makeBatchEnvelope(
  events: { template: GroupTemplate; n: number; atMs: number }[],
  dsn: string,
): Buffer {
  const items = events.map(e => makeEvent(e.template, e.n, e.atMs));
  const header = JSON.stringify({
    event_id: items[0].eventId,
    sent_at: new Date().toISOString(),
    dsn,
    sdk: { name: 'sentry.javascript.node', version: '10.78.0' },
  });
  const parts = [header];
  for (const { json } of items) {
    parts.push(
      JSON.stringify({ type: 'event', length: Buffer.byteLength(json) }),
      json,
    );
  }
  return Buffer.from(parts.join('\n'));
}
