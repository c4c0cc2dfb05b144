/*
 * A website is a normal user (issue #10): a page on an origin of its own loads the vendors' real
 * browser SDKs, `@sentry/browser` and `posthog-js` with their defaults, pointed at the portal's
 * backend with the storefront's keys from the demo config. Its thrown error and its event must
 * come back through the read API, and the browser must report no CORS error and no failed
 * request on the way. A page on an origin the config does not list must be refused by the
 * browser, so the routes are not open to every site.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import { randomBytes } from 'node:crypto';
import { build } from 'esbuild';
import { apiGet, backendUrl, eventually, openBrowser } from './browser.mjs';

/** The port of the page's origin; e2e/app-config.e2e.yaml allows `http://localhost:<it>`. */
const SITE_PORT = Number(process.env.E2E_SITE_PORT ?? 3117);
const STOREFRONT = '/api/product-os/entities/component/default/storefront';
// The storefront's Sentry project (id 102) and PostHog project key in examples/demo/app-config.yaml
// and examples/entities.yaml.
const SENTRY_DSN = `${backendUrl.replace(
  '://',
  '://deadbeef000000000000000000000102@',
)}/api/product-os/sentry/102`;
const POSTHOG_KEY = 'phc_demo_webshop';
const POSTHOG_HOST = `${backendUrl}/api/product-os/posthog`;

let sdkBundle;
const sites = [];

before(async () => {
  // Both SDKs as a website bundles them from npm.
  const result = await build({
    stdin: {
      contents: [
        "import * as Sentry from '@sentry/browser';",
        "import posthog from 'posthog-js';",
        'window.Sentry = Sentry;',
        'window.posthog = posthog;',
      ].join('\n'),
      resolveDir: process.cwd(),
    },
    bundle: true,
    format: 'iife',
    target: 'es2020',
    write: false,
    logLevel: 'silent',
  });
  sdkBundle = result.outputFiles[0].contents;
});

after(async () => {
  await Promise.all(
    sites.map(site => new Promise(resolve => site.close(resolve))),
  );
});

const SENTRY_OPTIONS = { dsn: SENTRY_DSN, environment: 'production' };
// Everything as posthog-js defaults it, but headless Chrome counts as a bot, whose events
// posthog-js drops; this is the setting its own warning names for end-to-end tests.
const POSTHOG_OPTIONS = {
  api_host: POSTHOG_HOST,
  opt_out_useragent_filter: true,
};
const json = value => JSON.stringify(value);
const PAGE = `<!doctype html>
<html><head><meta charset="utf-8"><title>Shop</title>
<script src="/sdks.js"></script>
<script>
Sentry.init(${json(SENTRY_OPTIONS)});
posthog.init(${json(POSTHOG_KEY)}, ${json(POSTHOG_OPTIONS)});
// A second instance posting uncompressed JSON, which the browser preflights (the defaults post
// gzip as text/plain, which it does not).
window.posthogJson = posthog.init(${json(POSTHOG_KEY)}, ${json({
  ...POSTHOG_OPTIONS,
  disable_compression: true,
})}, 'json');
</script></head><body><h1>Shop</h1></body></html>`;

/** Serves the page and the SDK bundle on `port` (0: any free port); resolves with its origin. */
async function startSite(port) {
  const site = http.createServer((req, res) => {
    if (req.url === '/') {
      res.writeHead(200, { 'content-type': 'text/html' }).end(PAGE);
    } else if (req.url === '/sdks.js') {
      res
        .writeHead(200, { 'content-type': 'application/javascript' })
        .end(sdkBundle);
    } else {
      // Also the favicon: a 404 would be a console error of its own.
      res.writeHead(204).end();
    }
  });
  sites.push(site);
  await new Promise((resolve, reject) => {
    site.once('error', reject);
    site.listen(port, 'localhost', resolve);
  });
  return `http://localhost:${site.address().port}`;
}

/**
 * Opens `origin` and collects what the browser says went wrong: console errors and warnings,
 * failed requests and error answers from the backend's vendor routes.
 */
async function openSite(origin) {
  const { browser, page } = await openBrowser();
  const problems = [];
  page.on('console', message => {
    if (['error', 'warning'].includes(message.type()))
      problems.push(`console ${message.type()}: ${message.text()}`);
  });
  page.on('pageerror', error => problems.push(`page error: ${error.message}`));
  page.on('requestfailed', req =>
    problems.push(
      `request failed: ${req.method()} ${req.url()} ${
        req.failure()?.errorText
      }`,
    ),
  );
  page.on('response', res => {
    if (res.url().startsWith(backendUrl) && res.status() >= 400)
      problems.push(
        `response ${res.status()}: ${res.request().method()} ${res.url()}`,
      );
  });
  await page.goto(`${origin}/`);
  await page.waitForFunction(
    () =>
      window.Sentry && window.posthog?.__loaded && window.posthogJson?.__loaded,
  );
  return { browser, page, problems };
}

/** Throws an uncaught error (Sentry's global handler captures it) and captures a PostHog event. */
async function throwAndCapture(page, runId) {
  const message = `Cross-origin checkout failed ${runId}`;
  const event = `e2e_cross_origin_${runId}`;
  await page.evaluate(
    ({ message, event }) => {
      window.posthog.capture(event, { step: 'checkout' });
      window.posthogJson.capture(`${event}_json`, { step: 'checkout' });
      setTimeout(() => {
        throw new Error(message);
      });
    },
    { message, event },
  );
  return { message, event };
}

test('a page on an allowed origin sends errors and events with the browser SDKs, without a CORS error', async () => {
  const origin = await startSite(SITE_PORT);
  const runId = randomBytes(4).toString('hex');
  await eventually(
    'the catalog to hold the storefront',
    () => apiGet(`${STOREFRONT}/overview?window=24h`),
    180_000,
  );
  const { browser, page, problems } = await openSite(origin);
  try {
    const { message, event } = await throwAndCapture(page, runId);

    const group = await eventually(
      `the error group of "${message}"`,
      async () => {
        const { items } = await apiGet(`${STOREFRONT}/errors?window=24h`);
        return items.find(item => JSON.stringify(item).includes(runId));
      },
      60_000,
    );
    assert.ok(group.count >= 1);
    const metric = await eventually(
      `the metric ${event}`,
      async () => {
        const { items } = await apiGet(`${STOREFRONT}/metrics?window=24h`);
        const series = items.find(item => item.key === event);
        return series?.total > 0 && series;
      },
      60_000,
    );
    assert.ok(metric.total >= 1);
    const jsonMetric = await eventually(
      `the metric ${event}_json`,
      async () => {
        const { items } = await apiGet(`${STOREFRONT}/metrics?window=24h`);
        const series = items.find(item => item.key === `${event}_json`);
        return series?.total > 0 && series;
      },
      60_000,
    );
    assert.ok(jsonMetric.total >= 1);

    // The thrown error is the page's own; anything else went wrong on the way.
    const unexpected = problems.filter(problem => !problem.includes(message));
    assert.deepEqual(unexpected, []);
  } catch (error) {
    error.message += `\nWhat the browser reported:\n${problems.join('\n')}`;
    throw error;
  } finally {
    await browser.close();
  }
});

test('a page on an origin the config does not list is refused by the browser', async () => {
  const origin = await startSite(0);
  const { browser, page, problems } = await openSite(origin);
  try {
    await throwAndCapture(page, randomBytes(4).toString('hex'));
    await eventually(
      'the browser to refuse the cross-origin sends',
      async () =>
        problems.some(problem => /CORS policy/.test(problem)) &&
        problems.some(problem => problem.includes('/api/product-os/sentry/')) &&
        problems.some(problem => problem.includes('/api/product-os/posthog/')),
      30_000,
    );
  } finally {
    await browser.close();
  }
});
