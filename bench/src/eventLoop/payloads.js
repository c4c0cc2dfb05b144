'use strict';
/*
 * The worst requests the body limits allow, per vendor endpoint: as many items as fit, each
 * distinct so that nothing collapses (distinct users, distinct error messages, distinct
 * commits). Each builder returns { path, headers, body, note }.
 */
const crypto = require('crypto');
const zlib = require('zlib');

const MiB = 1024 * 1024;

/**
 * Adds items (JSON strings from `make(i)`) to a JSON array until the next one would take the
 * inflated body past `maxInflated`, or its gzip past `maxWire`: the largest body both limits let
 * through. Gzip is measured on the whole body every time it might have grown past the limit.
 */
function fillArray(prefix, suffix, make, maxInflated, maxWire) {
  const items = [];
  let size = prefix.length + suffix.length;
  for (let i = 0; ; i++) {
    const item = make(i);
    if (size + item.length + 1 > maxInflated) break;
    items.push(item);
    size += item.length + 1;
  }
  // Shrink until the compressed body fits on the wire too.
  let body = Buffer.from(prefix + items.join(',') + suffix);
  let gz = zlib.gzipSync(body, { level: 9 });
  while (gz.length > maxWire) {
    items.length = Math.floor(items.length * (maxWire / gz.length) * 0.98);
    body = Buffer.from(prefix + items.join(',') + suffix);
    gz = zlib.gzipSync(body, { level: 9 });
  }
  return { count: items.length, body, gz };
}

function describe(count, what, body, gz) {
  return `${count} ${what}, ${(body.length / MiB).toFixed(2)} MiB inflated, ${(
    gz.length / 1024
  ).toFixed(0)} KiB gzip`;
}

/** posthog-node's /batch/: distinct users, as many as the limits allow. */
function posthogUsers({ key, limits }) {
  const sentAt = new Date().toISOString();
  const { count, body, gz } = fillArray(
    `{"api_key":${JSON.stringify(key)},"sent_at":"${sentAt}","batch":[`,
    ']}',
    i =>
      `{"event":"checkout_completed","distinct_id":"user-${i}","timestamp":"${sentAt}"}`,
    limits.decompressed,
    limits.wire,
  );
  return {
    name: 'posthog /batch/ distinct users',
    path: '/api/product-os/posthog/batch/',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gz,
    note: describe(count, 'events', body, gz),
  };
}

/** The finding's request: 25,000 events with distinct users, gzip, as posthog-js sends it. */
function posthogFinding({ key }) {
  const sentAt = new Date().toISOString();
  const events = Array.from({ length: 25_000 }, (_, i) =>
    JSON.stringify({
      event: '$pageview',
      distinct_id: `0191d0c5-${String(i).padStart(8, '0')}`,
      timestamp: sentAt,
    }),
  );
  const body = Buffer.from(
    `{"api_key":${JSON.stringify(
      key,
    )},"sent_at":"${sentAt}","batch":[${events.join(',')}]}`,
  );
  const gz = zlib.gzipSync(body);
  return {
    name: 'posthog /e/ 25k users (finding 1)',
    path: '/api/product-os/posthog/e/',
    // posthog-js: gzip as text/plain, no marker.
    headers: { 'content-type': 'text/plain' },
    body: gz,
    note: describe(25_000, 'events', body, gz),
  };
}

/** $exception events with distinct messages and stacks, as many as fit. */
function posthogExceptions({ key, limits }) {
  const sentAt = new Date().toISOString();
  const { count, body, gz } = fillArray(
    `{"api_key":${JSON.stringify(key)},"sent_at":"${sentAt}","batch":[`,
    ']}',
    i =>
      JSON.stringify({
        event: '$exception',
        distinct_id: `user-${i}`,
        uuid: `0191d0c5-0000-7000-8000-${String(i).padStart(12, '0')}`,
        timestamp: sentAt,
        properties: {
          $exception_list: [
            {
              type: `Error${i % 50}`,
              value: `Failure ${crypto
                .randomBytes(6)
                .toString('hex')} in step ${i}`,
              stacktrace: {
                frames: Array.from({ length: 5 }, (_, f) => ({
                  filename: `/app/src/module${(i + f) % 97}.js`,
                  function: `step${(i * 7 + f) % 113}`,
                  lineno: f + 1,
                  in_app: true,
                })),
              },
            },
          ],
        },
      }),
    limits.decompressed,
    limits.wire,
  );
  return {
    name: 'posthog /batch/ $exception',
    path: '/api/product-os/posthog/batch/',
    headers: { 'content-type': 'application/json', 'content-encoding': 'gzip' },
    body: gz,
    note: describe(count, 'exceptions', body, gz),
  };
}

/** A Sentry envelope of as many distinct error events as its item and size limits allow. */
function sentryEnvelope({ sentry, limits }) {
  const header = JSON.stringify({
    sent_at: new Date().toISOString(),
    dsn: `http://${sentry.publicKey}@127.0.0.1/${sentry.projectId}`,
  });
  const lines = [header];
  let size = header.length;
  for (let i = 0; i < limits.maxItems; i++) {
    const event = JSON.stringify({
      event_id: crypto.randomBytes(16).toString('hex'),
      timestamp: Date.now() / 1000,
      platform: 'node',
      level: 'error',
      release: 'checkout@1.0.0',
      exception: {
        values: [
          {
            type: `Error${i % 50}`,
            value: `Failure ${crypto
              .randomBytes(6)
              .toString('hex')} in step ${i}`,
            stacktrace: {
              frames: Array.from({ length: 30 }, (_, f) => ({
                filename: `/srv/app/src/module${(i + f) % 97}.js`,
                function: `step${(i * 7 + f) % 113}`,
                lineno: f + 1,
                in_app: f > 20,
                context_line: `  await step${f}(${'x'.repeat(40)});`,
              })),
            },
          },
        ],
      },
      breadcrumbs: Array.from({ length: 20 }, (_, b) => ({
        message: `breadcrumb ${b} of ${i}`,
        category: 'console',
      })),
      user: { id: `user-${i}` },
    });
    const item = `${JSON.stringify({
      type: 'event',
      length: Buffer.byteLength(event),
    })}\n${event}`;
    if (size + item.length + 1 > limits.decompressed) break;
    lines.push(item);
    size += item.length + 1;
  }
  let body = Buffer.from(lines.join('\n'));
  let gz = zlib.gzipSync(body, { level: 9 });
  while (gz.length > limits.wire) {
    lines.length = Math.floor(lines.length * (limits.wire / gz.length) * 0.98);
    body = Buffer.from(lines.join('\n'));
    gz = zlib.gzipSync(body, { level: 9 });
  }
  return {
    name: 'sentry envelope',
    path: `/api/product-os/sentry/api/${sentry.projectId}/envelope/?sentry_key=${sentry.publicKey}&sentry_version=7`,
    headers: {
      'content-type': 'application/x-sentry-envelope',
      'content-encoding': 'gzip',
    },
    body: gz,
    note: describe(lines.length - 1, 'events', body, gz),
  };
}

/**
 * One Sentry event as large as `limits.eventBytes` allows, made of as many small keys as fit:
 * the envelope's one step that cannot be sliced is JSON.parse of an event item, and many small
 * values are its slowest shape.
 */
function sentryLargeEvent({ sentry, limits }) {
  const header = JSON.stringify({ sent_at: new Date().toISOString() });
  const base = {
    event_id: crypto.randomBytes(16).toString('hex'),
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    exception: { values: [{ type: 'BenchError', value: 'one large event' }] },
  };
  const baseBytes = Buffer.byteLength(JSON.stringify(base)) + 64;
  const entries = [];
  let size = baseBytes;
  for (let i = 0; ; i++) {
    const entry = `"k${i}":${i}`;
    if (size + entry.length + 1 > limits.eventBytes) break;
    entries.push(entry);
    size += entry.length + 1;
  }
  const event = `${JSON.stringify(base).slice(
    0,
    -1,
  )},"contexts":{"bench":{${entries.join(',')}}}}`;
  const item = `${JSON.stringify({
    type: 'event',
    length: Buffer.byteLength(event),
  })}\n${event}`;
  const body = Buffer.from(`${header}\n${item}`);
  const gz = zlib.gzipSync(body, { level: 9 });
  return {
    name: 'sentry one large event',
    path: `/api/product-os/sentry/api/${sentry.projectId}/envelope/?sentry_key=${sentry.publicKey}&sentry_version=7`,
    headers: {
      'content-type': 'application/x-sentry-envelope',
      'content-encoding': 'gzip',
    },
    body: gz,
    note: describe(entries.length, 'keys in one event', body, gz),
  };
}

/**
 * A push of GitHub's maximum 2,048 commits, each touching as many files as the body limit
 * allows, signed.
 */
async function githubPush({ github, limits }) {
  for (let files = 60; files > 0; files--) {
    const push = await githubPushWith({ github, files });
    if (push.body.length <= limits.decompressed) return push;
  }
  throw new Error('push too large');
}

async function githubPushWith({ github, files }) {
  const { sign } = await import('@octokit/webhooks-methods');
  const added = Math.ceil(files / 3);
  const commits = [];
  for (let i = 0; i < 2048; i++) {
    const sha = crypto.createHash('sha1').update(`commit ${i}`).digest('hex');
    commits.push({
      id: sha,
      tree_id: sha,
      distinct: true,
      message: `Change ${i}: ${'adjust the checkout flow '.repeat(8)}`,
      timestamp: new Date(Date.now() - (2048 - i) * 1000).toISOString(),
      url: `https://github.com/${github.repository}/commit/${sha}`,
      author: {
        name: `Dev ${i % 40}`,
        email: `dev${i % 40}@example.com`,
        username: `dev${i % 40}`,
      },
      committer: {
        name: `Dev ${i % 40}`,
        email: `dev${i % 40}@example.com`,
        username: `dev${i % 40}`,
      },
      added: Array.from(
        { length: added },
        (_, f) => `src/feature${i}/added${f}.ts`,
      ),
      removed: [],
      modified: Array.from(
        { length: files - added },
        (_, f) => `src/area${f}/file${(i * 3 + f) % 500}.ts`,
      ),
    });
  }
  const payload = {
    ref: 'refs/heads/main',
    before: '0'.repeat(40),
    after: commits[commits.length - 1].id,
    repository: {
      id: 1,
      name: github.repository.split('/')[1],
      full_name: github.repository,
      html_url: `https://github.com/${github.repository}`,
      default_branch: 'main',
    },
    pusher: { name: 'dev0', email: 'dev0@example.com' },
    sender: { login: 'dev0', id: 1 },
    created: false,
    deleted: false,
    forced: false,
    compare: `https://github.com/${github.repository}/compare`,
    commits,
    head_commit: commits[commits.length - 1],
  };
  const text = JSON.stringify(payload);
  const signature = await sign(github.secret, text);
  return {
    name: 'github push webhook',
    path: '/api/product-os/github/webhook',
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'push',
      'x-github-delivery': crypto.randomUUID(),
      'x-hub-signature-256': signature,
    },
    body: Buffer.from(text),
    note: `2048 commits × ${files} files, ${(text.length / MiB).toFixed(
      2,
    )} MiB`,
  };
}

/** A PagerDuty v3 webhook, gzip, padded to its limits with assignees, signed. */
function pagerDutyWebhook({ pagerduty, limits }) {
  const user = i => ({
    html_url: `https://acme.pagerduty.com/users/P${i}`,
    id: `P${String(i).padStart(6, '0')}`,
    self: `https://api.pagerduty.com/users/P${i}`,
    summary: `User ${i}`,
    type: 'user_reference',
  });
  const base = n => ({
    event: {
      id: crypto.randomUUID(),
      event_type: 'incident.triggered',
      resource_type: 'incident',
      occurred_at: new Date().toISOString(),
      agent: user(0),
      client: { name: 'PagerDuty' },
      data: {
        id: 'Q1BENCH',
        type: 'incident',
        self: 'https://api.pagerduty.com/incidents/Q1BENCH',
        html_url: 'https://acme.pagerduty.com/incidents/Q1BENCH',
        number: 1,
        status: 'triggered',
        incident_key: crypto.randomBytes(16).toString('hex'),
        created_at: new Date().toISOString(),
        title: 'Checkout is failing',
        service: {
          id: pagerduty.serviceId,
          type: 'service_reference',
          summary: 'Checkout',
          self: `https://api.pagerduty.com/services/${pagerduty.serviceId}`,
          html_url: `https://acme.pagerduty.com/services/${pagerduty.serviceId}`,
        },
        assignees: Array.from({ length: n }, (_, i) => user(i)),
        urgency: 'high',
      },
    },
  });
  // Assignees until the body nears the inflated limit (and its gzip the wire limit).
  const fits = m => {
    const t = JSON.stringify(base(m));
    return (
      t.length < limits.decompressed && zlib.gzipSync(t).length < limits.wire
    );
  };
  let n = 1;
  while (fits(n * 2)) n *= 2;
  for (let step = n / 2; step >= 64; step /= 2) if (fits(n + step)) n += step;
  const text = JSON.stringify(base(n));
  const gz = zlib.gzipSync(text);
  const signature = `v1=${crypto
    .createHmac('sha256', pagerduty.secret)
    .update(text)
    .digest('hex')}`;
  return {
    name: 'pagerduty webhook',
    path: '/api/product-os/pagerduty/webhook',
    headers: {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
      'x-pagerduty-signature': signature,
      'x-webhook-subscription': 'PBENCH',
    },
    body: gz,
    note: describe(n, 'assignees', Buffer.from(text), gz),
  };
}

module.exports = {
  posthogUsers,
  posthogFinding,
  posthogExceptions,
  sentryEnvelope,
  sentryLargeEvent,
  githubPush,
  pagerDutyWebhook,
};
