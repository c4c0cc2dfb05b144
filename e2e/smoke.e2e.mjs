import { test } from 'node:test';
import assert from 'node:assert/strict';
import { screenshot, visit, withPage } from './browser.mjs';

test('an example service has a Product OS tab', async () => {
  await withPage('smoke', async page => {
    await visit(page, '/catalog/default/component/checkout-api');
    const tab = page.getByRole('tab', { name: 'Product OS' });
    await tab.waitFor({ timeout: 60_000 });
    await tab.click();
    await page.waitForURL(
      /\/catalog\/default\/component\/checkout-api\/product-os/,
    );
    await screenshot(page, 'smoke-product-os-tab');
    assert.match(page.url(), /product-os$/);
  });
});
