/*
 * The sync state on an entity's Product OS tab (issue #13): the demo portal pulls from no vendor
 * (it has no tokens), so checkout-api's tab must say, per source its annotations name, how an
 * administrator connects it, rather than show an error, and offer no "Sync now".
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { visit, withPage } from './browser.mjs';

test("checkout-api's tab says how to connect PagerDuty's pull", async () => {
  await withPage('sync-status', async page => {
    await visit(page, '/catalog/default/component/checkout-api/product-os');
    const pagerDuty = page.getByRole('region', { name: 'PagerDuty' });
    await pagerDuty.waitFor({ timeout: 60_000 });
    assert.match(
      await pagerDuty.innerText(),
      /Not connected\. How to connect: Set productOs\.sources\.pagerduty\.pull\.token/,
    );
    assert.equal(
      await page.getByRole('button', { name: 'Sync now' }).count(),
      0,
    );
  });
});
