/*
 * Live refresh (issue #14, finding 9): an entity's Product OS tab that is open while something
 * happens shows it without being reloaded. A PagerDuty alert triggers an incident for
 * payments-api while its tab is open; the incident appears in the tab's incident history and the
 * headline says what changed, and the page never navigated.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { backendUrl, screenshot, visit, withPage } from './browser.mjs';

// payments-api's Events API v2 routing key (examples/entities.yaml).
const ROUTING_KEY = 'R0UTINGKEYPAYMENTS00000000000001';

test('an open entity tab shows an incident triggered after it loaded, without a reload', async () => {
  await withPage('live-refresh', async page => {
    await visit(page, '/catalog/default/component/payments-api/product-os');
    const status = page.getByRole('status', { name: 'Last updated' });
    await status.waitFor({ timeout: 60_000 });

    let navigations = 0;
    page.on('framenavigated', frame => {
      if (frame === page.mainFrame()) navigations += 1;
    });
    const title = `Payment authorisations failing (live refresh check ${Date.now()})`;
    assert.equal(await page.getByText(title).count(), 0);

    const res = await fetch(
      `${backendUrl}/api/product-os/pagerduty/v2/enqueue`,
      {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({
          routing_key: ROUTING_KEY,
          event_action: 'trigger',
          dedup_key: `live-refresh-${Date.now()}`,
          payload: {
            summary: title,
            source: 'payments-api',
            severity: 'critical',
          },
        }),
      },
    );
    assert.equal(res.status, 202, await res.text());

    // The page hears of it through a signal (or, without signals, its next poll): a bounded wait
    // for the incident to be shown, not a sleep.
    await page
      .getByRole('table', { name: 'Incidents' })
      .getByRole('row')
      .filter({ hasText: title })
      .first()
      .waitFor({ timeout: 60_000 });
    await status
      .filter({ hasText: /changed since the last load: .*open incidents/ })
      .waitFor({ timeout: 60_000 });
    assert.equal(navigations, 0, 'the page was not reloaded');
    await screenshot(page, 'live-refresh');
  });
});
