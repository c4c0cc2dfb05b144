/*
 * The leaders' page (issue #5): every annotated entity ranked by health (scores inside the
 * noise share a place), each row leading to the entity's Product OS tab, and the owner filter
 * narrowing the ranking to one team.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { eventually, screenshotWhole, visit, withPage } from './browser.mjs';

const TAB_LINK = /^\/catalog\/default\/(component|system)\/[\w-]+\/product-os$/;

async function healthRows(page) {
  const table = page.getByRole('table', { name: 'Entity health' });
  await table.waitFor({ timeout: 60_000 });
  return table.getByRole('row').filter({ has: page.getByRole('cell') });
}

test("the leaders' page ranks the demo's entities and links each to its Product OS tab", async () => {
  await withPage('leaders-page', async page => {
    await visit(page, '/product-os');
    const rows = await healthRows(page);
    // The example catalog annotates the web shop's services and both systems.
    const names = await eventually(
      'the ranking to list the web shop',
      async () => {
        const texts = await rows.locator('td:nth-child(2)').allInnerTexts();
        return (
          texts.includes('checkout-api') &&
          texts.includes('storefront') &&
          texts
        );
      },
      60_000,
    );
    assert.ok(names.length >= 5, `the ranking lists ${names.join(', ')}`);
    const places = (await rows.locator('td:nth-child(1)').allInnerTexts()).map(
      place => Number(place.replace('=', '')),
    );
    const scores = (await rows.locator('td:nth-child(4)').allInnerTexts()).map(
      Number,
    );
    assert.deepEqual(
      places,
      [...places].sort((a, b) => a - b),
      'places ascend',
    );
    // Least healthy first, except inside a shared place, which goes by name.
    for (let i = 1; i < scores.length; i++) {
      if (places[i] !== places[i - 1]) {
        assert.ok(scores[i - 1] <= scores[i], `least healthy first: ${scores}`);
      }
    }
    for (const href of await rows
      .getByRole('link')
      .evaluateAll(links => links.map(link => link.getAttribute('href')))) {
      assert.match(href, TAB_LINK);
    }
    await screenshotWhole(page, 'leaders-page');

    await rows.getByRole('link', { name: 'checkout-api', exact: true }).click();
    await page.waitForURL(
      /\/catalog\/default\/component\/checkout-api\/product-os$/,
    );
    await page
      .getByRole('region', { name: 'Errors' })
      .waitFor({ timeout: 60_000 });
  });
});

test("the leaders' page narrows the ranking to one owner", async () => {
  await withPage('leaders-page-owner', async page => {
    await visit(page, '/product-os');
    const rows = await healthRows(page);
    await rows.first().waitFor();
    const everyone = await rows.count();

    await page.getByRole('button', { name: /Owner/ }).click();
    await page
      .getByRole('listbox')
      .getByRole('option', { name: 'team-checkout', exact: true })
      .click();
    const owners = await eventually(
      'the ranking to narrow to team-checkout',
      async () => {
        const listed = await rows.locator('td:nth-child(3)').allInnerTexts();
        return listed.length > 0 && listed.length < everyone && listed;
      },
      30_000,
    );
    assert.deepEqual(new Set(owners), new Set(['team-checkout']));
    assert.deepEqual(await rows.locator('td:nth-child(2)').allInnerTexts(), [
      'checkout-api',
    ]);
    await screenshotWhole(page, 'leaders-page-team-checkout');
  });
});

test("equal scores share a place on the leaders' page, by the margin /health gives", async () => {
  await withPage('leaders-page-ties', async page => {
    // The demo's scores rarely meet: two quiet services are given one score the others do not
    // have, and the margin 0, so exactly those two tie; the ranking itself is the page's own.
    let expected;
    await page.route('**/api/product-os/health*', async route => {
      const response = await route.fetch();
      const body = await response.json();
      const quiet = body.items
        .filter(i => i.openIncidents === 0 && i.diagnosesNeedingHuman === 0)
        .slice(0, 2);
      const others = body.items.filter(i => !quiet.includes(i));
      const taken = new Set(others.map(i => i.score));
      let score = 99;
      while (taken.has(score)) score--;
      for (const item of quiet) item.score = score;
      const names = quiet.map(i => i.title ?? i.entityRef.split('/')[1]);
      expected = {
        names: [...names].sort(),
        place: `=${1 + others.filter(i => i.score < score).length}`,
        score: String(score),
      };
      await route.fulfill({ response, json: { ...body, tieMargin: 0 } });
    });
    await visit(page, '/product-os');
    const rows = await healthRows(page);
    await rows.first().waitFor();
    const cells = await rows.evaluateAll(trs =>
      trs.map(tr => Array.from(tr.cells, cell => cell.innerText.trim())),
    );
    assert.ok(expected, 'the page asked for /health');
    const tied = cells.filter(
      row => row[0].replace('=', '') === expected.place.slice(1),
    );
    // The two, next to each other by name, in the place after every lower score, and no other.
    assert.deepEqual(
      tied.map(row => [row[0], row[1], row[3]]),
      expected.names.map(name => [expected.place, name, expected.score]),
    );
    assert.match(
      await page.getByText(/"=" marks a shared place/).innerText(),
      /scores less than 0 points above the first of a tie/,
    );
  });
});
