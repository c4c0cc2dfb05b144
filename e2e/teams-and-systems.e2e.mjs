/*
 * Teams and systems (issue #14, finding 6; issue #11, roll-ups): a Group page shows what the
 * team and the groups below it own, ranked by health with ties where the difference is noise,
 * with its incidents, deploys and open diagnoses; a System page puts its components' case files
 * on one timeline; the leaders' page has a section per team and system with a 90-day trend.
 * axe-core finds no violation on any of them.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import {
  accessibilityViolations,
  apiGet,
  eventually,
  screenshot,
  screenshotWhole,
  visit,
  withPage,
} from './browser.mjs';

/** The demo's services, as the example catalog assigns them to teams and systems. */
const WEBSHOP = ['storefront', 'checkout-api', 'catalog-api', 'search'];
const ENGINEERING = [...WEBSHOP, 'payments-api', 'ledger', 'notifications'];

/** The cells of a table's body rows, as text. */
async function tableRows(table) {
  return table
    .locator('tbody tr')
    .evaluateAll(rows =>
      rows.map(row => Array.from(row.cells, cell => cell.innerText.trim())),
    );
}

/** How the portal names a member: its title, else its name (the demo's are in `default`). */
const nameOf = member => member.title ?? member.entityRef.split('/')[1];

/** "=2" for a rank two members share, "3" for one of its own: what the page should say. */
function placeOf(member, members) {
  const shared = members.filter(m => m.rank === member.rank).length > 1;
  return `${shared ? '=' : ''}${member.rank}`;
}

/**
 * The ranking table as the roll-up answered it at the same moment: reloads until the table and
 * a roll-up fetched right after it agree on the time its figures are from (the snapshot task may
 * write new figures between the two), then returns both.
 */
async function rankingAsServed(page, tableName, rollupPath) {
  return eventually(
    `the ranking of ${tableName} to show the roll-up's figures`,
    async () => {
      const table = page.getByRole('table', { name: tableName });
      await table.waitFor({ timeout: 60_000 });
      const asOf = await page
        .getByText(/figures as of/)
        .locator('time')
        .getAttribute('datetime');
      const rows = await tableRows(table);
      const rollup = await apiGet(rollupPath);
      if (rollup.asOf === asOf) return { rows, rollup };
      await page.reload();
      return false;
    },
    3 * 60_000,
  );
}

/** Reloads the page until `locator` shows: the snapshot task writes its first days a minute in. */
async function reloadUntil(page, what, locator) {
  await eventually(
    what,
    async () => {
      if (await locator.count()) return true;
      await page.reload();
      await page
        .getByRole('region', { name: 'Team health' })
        .or(page.getByRole('table', { name: /by health$/ }))
        .first()
        .waitFor({ timeout: 60_000 });
      return (await locator.count()) > 0;
    },
    5 * 60_000,
  );
}

test("a department's Group page ranks every service of its teams, with its DORA and trend", async () => {
  // The tab shows the backend's roll-up: wait until it holds all of engineering's services.
  const rollup = await eventually(
    "the roll-up of engineering to hold its teams' services",
    async () => {
      const answer = await apiGet(
        '/api/product-os/rollups/group/default/engineering',
      );
      return answer.members.length >= ENGINEERING.length && answer;
    },
    120_000,
  );
  await withPage('group-product-os-tab', async page => {
    await visit(page, '/catalog/default/group/engineering/product-os');
    const table = page.getByRole('table', {
      name: 'Services of engineering by health',
    });
    await table.waitFor({ timeout: 60_000 });
    const rows = await tableRows(table);
    // Sub-groups count: the teams own the services, the department owns none itself.
    assert.deepEqual(new Set(rows.map(row => row[1])), new Set(ENGINEERING));
    assert.deepEqual(
      new Set(rows.map(row => row[2])),
      new Set(['team-storefront', 'team-checkout', 'team-payments']),
    );
    // Places are the backend's ranks, a shared one marked "="; worst first.
    const places = rows.map(row => row[0]);
    places.forEach((place, index) => {
      const rank = Number(place.replace('=', ''));
      const shared = places.filter(p => p.replace('=', '') === String(rank));
      assert.equal(place.startsWith('='), shared.length > 1, places.join(' '));
      if (index > 0) {
        assert.ok(
          rank >= Number(places[index - 1].replace('=', '')),
          places.join(' '),
        );
      }
    });
    assert.ok(
      rows.every(row => row[4].length > 0),
      'every row says what lowers its score',
    );
    const figure = name =>
      page.getByRole('region', { name }).locator('p').first().innerText();
    assert.equal(
      await figure('Tracked services'),
      String(rollup.members.length),
    );
    const dora = page.getByRole('region', { name: 'DORA' });
    await dora.getByText(/^DORA, last 30 days/).waitFor();
    assert.match(
      await dora
        .getByRole('region', { name: 'Deployment frequency' })
        .locator('p')
        .first()
        .innerText(),
      /^\d+(\.\d)? \/ week$/,
    );

    // The demo's bad deploy left checkout-api a diagnosis: listed, leading to its case file.
    const checkout = page
      .getByRole('list', { name: 'Open diagnoses' })
      .getByRole('link', { name: /checkout-api/ })
      .first();
    await reloadUntil(page, 'the open diagnosis of checkout-api', checkout);
    assert.match(
      await checkout.getAttribute('href'),
      /^\/catalog\/default\/component\/checkout-api\/product-os#product-os-diagnosis-\d+$/,
    );

    // The 90-day trend from the daily snapshots, named for screen readers.
    const trend = page.getByRole('img', {
      name: /^90-day trend of engineering: health [\d.]+ on the first of \d+ days/,
    });
    await reloadUntil(page, "engineering's first daily snapshots", trend);

    // Served from the snapshot task's rows now, the ranking is the roll-up's as the API answers.
    const served = await rankingAsServed(
      page,
      'Services of engineering by health',
      '/api/product-os/rollups/group/default/engineering',
    );
    // Each row is its roll-up member: the API's place, and its week's production deployments
    // and incidents, in the roll-up's order.
    const members = served.rollup.members;
    assert.deepEqual(
      served.rows.map(row => [row[0], row[1], row[5], row[6]]),
      members.map(m => [
        placeOf(m, members),
        nameOf(m),
        m.deployments.toLocaleString('en-US'),
        m.incidents.toLocaleString('en-US'),
      ]),
    );
    // The demo deploys its services and pages checkout-api: the columns are not all zero.
    assert.ok(
      members.some(m => m.deployments > 0),
      'a service has a deployment this week',
    );
    assert.ok(
      members.some(m => m.incidents > 0),
      'a service has an incident this week',
    );
    // When the figures are from: the roll-up's asOf, in the reader's zone, with its UTC on hover.
    const asOf = page.getByText(/figures as of/).locator('time');
    assert.equal(await asOf.getAttribute('datetime'), served.rollup.asOf);
    assert.equal(
      await asOf.getAttribute('title'),
      `${served.rollup.asOf.slice(0, 10)} ${served.rollup.asOf.slice(
        11,
        16,
      )} UTC`,
    );
    // In the reader's zone as the app writes every moment (lib/time's formatDateTime), and how long ago.
    const local = await page.evaluate(
      iso =>
        new Intl.DateTimeFormat(undefined, {
          month: 'short',
          day: 'numeric',
          hour: 'numeric',
          minute: '2-digit',
          timeZoneName: 'short',
        }).format(new Date(iso)),
      served.rollup.asOf,
    );
    const shown = await asOf.innerText();
    assert.ok(
      shown.startsWith(`${local} (`) && /\((just now|.+ ago)\)$/.test(shown),
      shown,
    );
    await screenshotWhole(page, 'group-product-os-tab');
    assert.deepEqual(await accessibilityViolations(page), []);
  });
});

test("a team's Group page overview carries its health card", async () => {
  await withPage('group-overview-team-health', async page => {
    await visit(page, '/catalog/default/group/team-checkout');
    const table = page.getByRole('table', {
      name: 'Services of team-checkout by health',
    });
    await table.waitFor({ timeout: 60_000 });
    assert.deepEqual(
      (await tableRows(table)).map(row => row[1]),
      ['checkout-api'],
    );
    // The overview's other cards are the org plugin's; the check is of what Product OS draws.
    assert.deepEqual(
      await accessibilityViolations(page, {
        include: 'section[aria-label="Team health"]',
      }),
      [],
    );
  });
});

test("a System page shows its components' case files on one timeline", async () => {
  await withPage('system-product-os-tab', async page => {
    await visit(page, '/catalog/default/system/webshop/product-os');
    await page
      .getByRole('table', { name: 'Components of webshop by health' })
      .waitFor({ timeout: 60_000 });
    assert.equal(
      await page.getByText('Missing annotation').count(),
      0,
      'the tab no longer asks the system for annotations of its own',
    );
    const timeline = page.getByRole('figure', {
      name: /^Timeline of \d+ events/,
    });
    await timeline.waitFor({ timeout: 60_000 });
    // A lane per component.
    // SVG text has no innerText.
    const lanes = await timeline
      .locator('.recharts-yAxis .recharts-cartesian-axis-tick-value')
      .evaluateAll(ticks => ticks.map(tick => tick.textContent));
    assert.deepEqual(new Set(lanes), new Set(WEBSHOP));
    // The list names each item's component; several components appear in it.
    const items = page.getByRole('list', { name: 'Timeline items' });
    const details = await items.locator('li').allInnerTexts();
    const named = new Set(
      WEBSHOP.filter(name => details.some(text => text.includes(`${name} ·`))),
    );
    assert.ok(named.size >= 2, `items of ${[...named].join(', ')}`);
    // An item without a page of its own leads to its row on its component's tab.
    const inPortal = await items
      .locator('a[href^="/catalog/"]')
      .evaluateAll(links => links.map(link => link.getAttribute('href')));
    for (const href of inPortal) {
      assert.match(
        href,
        /^\/catalog\/default\/component\/[\w-]+\/product-os(#product-os-[\w-]+-\d+)?$/,
      );
    }
    await page
      .getByRole('img', { name: /^90-day trend of webshop: / })
      .waitFor({ timeout: 120_000 });
    // The page down to the timeline's chart: the list under it runs to a hundred items.
    await page.evaluate(() =>
      document.querySelectorAll('main').forEach(main => main.scrollTo(0, 0)),
    );
    const bottom = await timeline.evaluate(
      chart => chart.getBoundingClientRect().bottom,
    );
    const viewport = page.viewportSize();
    await page.setViewportSize({
      width: viewport.width,
      height: Math.ceil(bottom + 48),
    });
    await screenshot(page, 'system-product-os-tab');
    await page.setViewportSize(viewport);
    assert.deepEqual(await accessibilityViolations(page), []);
  });
});

/** The titles of a region's sections (MUI's class names carry a suffix here: by role). */
function sectionTitles(region) {
  return region
    .locator('[aria-expanded]')
    .evaluateAll(buttons =>
      buttons.map(button => button.querySelector('strong')?.textContent),
    );
}

test("the leaders' page has a section per team and per system, with the 90-day trend", async () => {
  await withPage('leaders-page-sections', async page => {
    await visit(page, '/product-os');
    const region = page.getByRole('region', {
      name: 'Sections by team and system',
    });
    await region.waitFor({ timeout: 60_000 });
    const sections = region.locator('[aria-expanded]');
    await sections.first().waitFor({ timeout: 60_000 });
    const teamTitles = await sectionTitles(region);
    // The department first, its teams after it.
    assert.equal(teamTitles[0], 'engineering');
    assert.ok(
      teamTitles.includes('engineering › team-checkout'),
      teamTitles.join(' | '),
    );
    const engineering = sections.first();
    assert.match(
      await engineering.innerText(),
      new RegExp(`${ENGINEERING.length} services`),
    );
    await engineering.click();
    const ranking = region.getByRole('table', {
      name: 'Ranking of engineering',
    });
    await ranking.waitFor({ timeout: 60_000 });
    assert.equal(
      (await tableRows(ranking)).length,
      ENGINEERING.length,
      'the section ranks all its services',
    );
    await region
      .getByRole('img', { name: /^90-day trend of engineering: / })
      .waitFor({ timeout: 60_000 });
    assert.deepEqual(await accessibilityViolations(page), []);

    // The sections, below the ranking of every entity: the page as tall as down to them.
    await page.evaluate(() =>
      document.querySelectorAll('main').forEach(main => main.scrollTo(0, 0)),
    );
    const box = await region.evaluate(element => {
      const rect = element.getBoundingClientRect();
      return { top: rect.top, bottom: rect.bottom };
    });
    const viewport = page.viewportSize();
    await page.setViewportSize({
      width: viewport.width,
      height: Math.ceil(box.bottom + 48),
    });
    await page.screenshot({
      path: fileURLToPath(
        new URL('./artifacts/leaders-page-sections.png', import.meta.url),
      ),
      clip: {
        x: 0,
        y: Math.max(0, box.top - 120),
        width: viewport.width,
        height: box.bottom - Math.max(0, box.top - 120) + 24,
      },
    });
    await page.setViewportSize(viewport);

    await page.getByRole('button', { name: 'Systems', exact: true }).click();
    assert.deepEqual(
      new Set(await sectionTitles(region)),
      new Set(['webshop', 'payments']),
    );
  });
});
