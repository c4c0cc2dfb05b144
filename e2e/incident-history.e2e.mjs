/*
 * Incident history (issue #5): the demo pages checkout-api every night during the order export
 * and resolves the page within two hours, so its history must list resolved incidents whose
 * PagerDuty log opens in a drawer.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, screenshotCard, visit, withPage } from './browser.mjs';

const NIGHTLY =
  'Checkout p99 latency above 2 s during the nightly order export';

test("checkout-api's incident history lists a resolved incident and opens its timeline", async () => {
  await withPage('incident-history', async page => {
    await visit(page, '/catalog/default/component/checkout-api/product-os');
    const incidents = page.getByRole('table', { name: 'Incidents' });
    await incidents.waitFor({ timeout: 60_000 });
    const resolved = incidents
      .getByRole('row')
      .filter({ hasText: NIGHTLY })
      .filter({
        has: page.getByRole('cell', { name: 'Resolved', exact: true }),
      })
      .first();
    await resolved.waitFor();
    const cells = await resolved.getByRole('cell').allInnerTexts();
    // Duration, time to acknowledge and time to resolve are all known once it is resolved.
    for (const time of cells.slice(4, 7))
      assert.match(time, /^\d+[smhd]( \d+[smh])?$/);

    await screenshotCard(page, incidents, 'incident-history');

    await resolved
      .getByRole('button', { name: `Timeline of ${NIGHTLY}` })
      .click();
    const drawer = page.getByRole('region', { name: `Timeline of ${NIGHTLY}` });
    await drawer.waitFor();
    const entries = await drawer.getByRole('listitem').allInnerTexts();
    assert.ok(
      entries.length >= 2,
      `the timeline has ${entries.length} entries`,
    );
    assert.match(entries[0], /trigger/i);
    assert.match(entries.at(-1), /resolve/i);
    await screenshot(page, 'incident-timeline');

    await drawer.getByRole('button', { name: 'Close timeline' }).click();
    await drawer.waitFor({ state: 'detached' });
  });
});
