'use strict';
/*
 * A web page running the real posthog-js, in its own process as a browser tab would be: a DOM
 * from jsdom (which also fetches and runs the remote config script the SDK adds to the page)
 * and Node's fetch as the page's transport. Node's fetch enforces no CORS; the browser test
 * covers that.
 *
 * Usage: node posthogJsPage.js <api_host> <project key>. Captures two events and reloads the
 * flags, waits until the SDK got an answer to both and has applied its remote config, and prints
 * what it sent, what it logged and the config it applied as one JSON line.
 */
const { JSDOM, ResourceLoader, VirtualConsole } = require('jsdom');

const [apiHost, projectKey] = process.argv.slice(2);
const sent = [];
const logged = [];

const nodeFetch = globalThis.fetch;
async function pageFetch(input, init = {}) {
  const url = new URL(String(input));
  const response = await nodeFetch(input, init);
  const { body } = init;
  let bytes;
  if (body instanceof ArrayBuffer) bytes = Buffer.from(body);
  else if (body instanceof Blob) bytes = Buffer.from(await body.arrayBuffer());
  else if (typeof body === 'string') bytes = Buffer.from(body);
  sent.push({
    method: init.method ?? 'GET',
    path: url.pathname.replace(new URL(apiHost).pathname, '') + url.search,
    status: response.status,
    contentType: new Headers(init.headers).get('content-type') ?? undefined,
    firstBytes: bytes ? bytes.subarray(0, 2).toString('hex') : undefined,
  });
  return response;
}

/** Scripts the SDK adds to the page (its remote config), fetched as a browser would. */
class PageResources extends ResourceLoader {
  fetch(url, options) {
    sent.push({
      method: 'GET',
      path: new URL(url).pathname.replace(new URL(apiHost).pathname, ''),
      script: true,
    });
    return super.fetch(url, options);
  }
}

const virtualConsole = new VirtualConsole();
for (const level of ['error', 'warn']) {
  virtualConsole.on(level, (...args) =>
    logged.push(`${level}: ${args.map(String).join(' ')}`),
  );
}
virtualConsole.on('jsdomError', error =>
  logged.push(`jsdom: ${error.message}`),
);
const dom = new JSDOM(
  '<!doctype html><html><head></head><body></body></html>',
  {
    url: 'http://shop.example.test/checkout',
    resources: new PageResources(),
    // The remote config is a script the SDK adds to the page: it must run, as in a browser.
    runScripts: 'dangerously',
    virtualConsole,
  },
);
dom.window.fetch = pageFetch;
for (const name of [
  'window',
  'document',
  'location',
  'localStorage',
  'sessionStorage',
]) {
  globalThis[name] = name === 'window' ? dom.window : dom.window[name];
}
Object.defineProperty(globalThis, 'navigator', {
  value: dom.window.navigator,
  configurable: true,
});
globalThis.fetch = pageFetch;
for (const level of ['error', 'warn']) {
  // eslint-disable-next-line no-console
  console[level] = (...args) =>
    logged.push(`${level}: ${args.map(String).join(' ')}`);
}

const posthog = require('posthog-js').default;

function answered(predicate) {
  return sent.some(s => s.status !== undefined && predicate(s));
}
// eslint-disable-next-line no-console
console.log = () => {};

posthog.init(projectKey, {
  api_host: apiHost,
  // So that the SDK reports every failed request and config it could not read.
  debug: true,
  request_queue_config: { flush_interval_ms: 250 },
  loaded: instance => {
    instance.capture('checkout_completed', { plan: 'pro' });
    instance.capture('checkout_completed', { plan: 'pro' });
    instance.reloadFeatureFlags();
  },
});

// Waits for the SDK's own schedule: done once a capture and a flags request were answered (the
// test that starts this process bounds how long it may take).
const check = setInterval(() => {
  const captured = answered(
    s => s.method === 'POST' && s.path.startsWith('/e/'),
  );
  const flagged = answered(s => s.path.startsWith('/flags'));
  const configured = Boolean(dom.window._POSTHOG_REMOTE_CONFIG?.[projectKey]);
  if (captured && flagged && configured) {
    clearInterval(check);
    // A moment for the SDK to handle the answers (and log, if it would).
    setTimeout(() => {
      const remoteConfig = dom.window._POSTHOG_REMOTE_CONFIG[projectKey];
      process.stdout.write(
        `${JSON.stringify({
          sent,
          logged,
          remoteConfig,
          compression: posthog.compression,
        })}\n`,
      );
      process.exit(0);
    }, 200);
  }
}, 50);
