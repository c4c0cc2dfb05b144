/*
 * Opens Debian's chromium through playwright-core (no browser download), signed in as the guest
 * user, and saves screenshots under e2e/artifacts/.
 */
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const baseUrl = process.env.E2E_BASE_URL ?? 'http://localhost:7107';
const artifacts = path.join(
  path.dirname(fileURLToPath(import.meta.url)),
  'artifacts',
);

/**
 * Options of the page: its viewport (a phone is 390×844) and its time zone (an IANA name; the
 * machine's otherwise), since what a page shows depends on both.
 */
export async function openBrowser(options = {}) {
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage({
    viewport: options.viewport ?? { width: 1440, height: 1000 },
    ...(options.timezoneId && { timezoneId: options.timezoneId }),
  });
  return { browser, page };
}

export async function screenshot(page, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  await page.screenshot({
    path: path.join(artifacts, `${name}.png`),
    fullPage: true,
  });
}

/** Runs `fn` with a fresh page; on failure saves a screenshot named after the test first. */
export async function withPage(name, fn, options) {
  const { browser, page } = await openBrowser(options);
  try {
    await fn(page);
  } catch (error) {
    await screenshot(page, `${name}-failure`).catch(() => {});
    throw error;
  } finally {
    await browser.close();
  }
}

/** Opens `path` in the portal, entering as the guest user when the sign-in page shows. */
export async function visit(page, path) {
  await page.goto(`${baseUrl}${path}`);
  const enter = page.getByRole('button', { name: 'Enter' });
  const signedIn = page.locator('nav, [data-testid="sidebar-root"]').first();
  await Promise.race([
    enter.waitFor({ timeout: 60_000 }),
    signedIn.waitFor({ timeout: 60_000 }),
  ]);
  if (await enter.isVisible()) await enter.click();
}

export const backendUrl =
  process.env.E2E_BACKEND_URL ?? 'http://localhost:7107';
let guestToken;

/** GETs a backend path as the guest user, the way the app does. */
export async function apiGet(path) {
  if (!guestToken) {
    const res = await fetch(
      `${backendUrl}/api/auth/guest/refresh?env=development`,
      {
        headers: { 'X-Requested-With': 'XMLHttpRequest' },
      },
    );
    if (!res.ok) throw new Error(`guest sign-in failed: ${res.status}`);
    guestToken = (await res.json()).backstageIdentity.token;
  }
  const res = await fetch(`${backendUrl}${path}`, {
    headers: { Authorization: `Bearer ${guestToken}` },
  });
  if (!res.ok)
    throw new Error(`GET ${path}: ${res.status} ${await res.text()}`);
  return res.json();
}

/**
 * Polls `probe` until it returns something truthy, or fails with `what` after `timeoutMs`. A
 * probe that throws (the catalog has not loaded the entity yet, say) is tried again.
 */
export async function eventually(what, probe, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value;
    let failure;
    try {
      value = await probe();
    } catch (error) {
      failure = error;
    }
    if (value) return value;
    if (Date.now() > deadline) {
      throw new Error(
        `Timed out after ${timeoutMs / 1000}s waiting for ${what}${
          failure ? `: ${failure.message}` : ''
        }`,
      );
    }
    await new Promise(resolve => setTimeout(resolve, 3000));
  }
}

/** The points an SVG path drawn by recharts (d3-shape: M, L and C commands) passes through. */
export function pathPoints(d) {
  const points = [];
  for (const [, command, args] of (d ?? '').matchAll(/([MLC])([^MLCZ]*)/gi)) {
    const numbers = args
      .split(/[\s,]+/)
      .filter(Boolean)
      .map(Number);
    // A cubic segment lists two control points before the point it ends on.
    const size = command.toUpperCase() === 'C' ? 6 : 2;
    for (let end = size; end <= numbers.length; end += size) {
      points.push([numbers[end - 2], numbers[end - 1]]);
    }
  }
  return points;
}

/**
 * Runs `shoot` with the viewport as tall as the page: Backstage pages scroll inside their own
 * <main>, which playwright's fullPage and element shots do not see past.
 */
async function atFullHeight(page, shoot) {
  const viewport = page.viewportSize();
  const height = await page.evaluate(() =>
    Math.max(
      ...Array.from(
        document.querySelectorAll('main'),
        main => main.getBoundingClientRect().top + main.scrollHeight,
      ),
    ),
  );
  await page.setViewportSize({
    width: viewport.width,
    height: Math.ceil(height),
  });
  try {
    await shoot();
  } finally {
    await page.setViewportSize(viewport);
  }
}

/** Saves the whole page, below the fold included. */
export async function screenshotWhole(page, name) {
  await atFullHeight(page, () => screenshot(page, name));
}

/** Saves the card (Backstage's InfoCard) that holds `locator`. */
export async function screenshotCard(page, locator, name) {
  fs.mkdirSync(artifacts, { recursive: true });
  const card = locator.locator(
    'xpath=ancestor::*[contains(@class, "MuiCard-root")][1]',
  );
  // Clipped by hand: playwright's element shot misplaces elements inside a scrolled <main>.
  await atFullHeight(page, async () => {
    // Clicks scroll the (too wide) document sideways; the clip is measured from its origin.
    await page.evaluate(() => window.scrollTo(0, 0));
    const clip = await card.boundingBox();
    await page.screenshot({
      path: path.join(artifacts, `${name}.png`),
      clip,
      fullPage: true,
    });
  });
}

const axeSource = fs.readFileSync(
  createRequire(import.meta.url).resolve('axe-core/axe.min.js'),
  'utf8',
);

/**
 * The WCAG 2.1 A and AA rules and axe's best practices that the page breaks, run by axe-core
 * injected into the page, as "rule: help (n elements: selectors)". The dev server's own
 * overlays are not the portal's. `include` (a CSS selector) narrows the check to a part of the
 * page, for pages whose other parts Product OS does not draw.
 */
export async function accessibilityViolations(page, options = {}) {
  // Backstage pages scroll inside <main>; scrolled, the sticky header sits over the tabs and
  // axe measures their contrast against the wrong background.
  await page.evaluate(() =>
    document.querySelectorAll('main').forEach(main => main.scrollTo(0, 0)),
  );
  await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async include => {
    const result = await window.axe.run(
      {
        ...(include && { include: [include] }),
        exclude: [
          '#webpack-dev-server-client-overlay',
          '#react-refresh-overlay',
        ],
      },
      {
        runOnly: {
          type: 'tag',
          values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'],
        },
      },
    );
    return result.violations.map(
      v =>
        `${v.id}: ${v.help} (${v.nodes.length} elements: ${v.nodes
          .slice(0, 3)
          .map(n => n.target.join(' '))
          .join(', ')})`,
    );
  }, options.include);
  return violations;
}
