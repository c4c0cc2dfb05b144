/*
 * What looked like alarms and was not (issue #14, finding 10): no red "(0)" or "(new)" when
 * there is no previous week, labels instead of code words, error frames as repository paths,
 * the missing-annotation panel only for those who can fix it, one /health request for the
 * leaders' page, and the incident card on 7 days like the others.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, visit, withPage } from './browser.mjs';

const CHECKOUT = '/api/product-os/entities/component/default/checkout-api';
const CHECKOUT_TAB = '/catalog/default/component/checkout-api/product-os';
/** Values the API sends that a reader should never see as they are. */
const CODE_WORDS =
  /\b(needs_human|in_progress|not_enough_evidence|error_spike|new_error_group|metric_drop|code_overlap|pull_request|error_group)\b/;

test("checkout-api's tab says what it knows, in words, with the repository's paths", async () => {
  const overview = await apiGet(`${CHECKOUT}/overview?window=7d`);
  await withPage('noise-entity-tab', async page => {
    await visit(page, CHECKOUT_TAB);
    const errors = page.getByRole('region', { name: 'Errors' });
    await errors.waitFor({ timeout: 60_000 });
    const figure = await errors.innerText();
    if (overview.errors.previousEvents === 0) {
      assert.match(figure, /no baseline yet/);
      assert.doesNotMatch(figure, /\(0\)|\(new\)/);
    } else {
      assert.match(figure, /vs previous 7 days/);
    }

    // The incident card opens on 7 days, like every other windowed card.
    const incidents = page.getByRole('table', { name: 'Incidents' });
    await incidents.waitFor({ timeout: 60_000 });
    const card = incidents.locator(
      'xpath=ancestor::*[contains(@class, "MuiCard-root")][1]',
    );
    assert.match(await card.innerText(), /PagerDuty, last 7 days/);

    // Frames read as paths in acme/checkout-api, not the machine's that ran the code.
    const groups = page.getByRole('table', { name: 'Top error groups' });
    await groups.waitFor({ timeout: 60_000 });
    const culprits = await groups
      .locator('td:first-child [class*="MuiTypography-caption"]')
      .allInnerTexts();
    assert.ok(culprits.length > 0, 'no culprit shown');
    for (const culprit of culprits) {
      assert.doesNotMatch(
        culprit,
        /\(\/|\/home\/|\/app\/|webpack:|[A-Z]:\\/,
        culprit,
      );
    }
    assert.ok(
      culprits.some(culprit => /\(src\/[\w/.-]+\.[jt]s\)/.test(culprit)),
      `no culprit names a file of the repository: ${culprits.join(' | ')}`,
    );

    // Open the latest diagnosis too: its chips and impact line are words as well.
    await page
      .getByRole('region', { name: 'Latest diagnosis' })
      .waitFor({ timeout: 60_000 });
    const text = await page.locator('main').innerText();
    assert.doesNotMatch(text, CODE_WORDS);
  });
});

test('a reader who cannot add a missing annotation gets a line saying who can', async () => {
  // The guest is in team-checkout; search belongs to team-storefront and has no PagerDuty.
  await withPage('noise-missing-annotation', async page => {
    await visit(page, '/catalog/default/component/search/product-os');
    const hint = page.getByText(/^Not linked yet: it needs the pagerduty/);
    await hint.waitFor({ timeout: 60_000 });
    assert.match(
      await hint.innerText(),
      /pagerduty\.com\/service-id or pagerduty\.com\/integration-key annotation, which team-storefront can add\.$/,
    );
    assert.equal(await page.getByText('Missing Annotation').count(), 0);
  });
});

test("the leaders' page asks for /health once and says no baseline instead of new", async () => {
  await withPage('noise-leaders-page', async page => {
    const healthRequests = [];
    page.on('request', request => {
      const url = new URL(request.url());
      if (url.pathname === '/api/product-os/health')
        healthRequests.push(url.search);
    });
    await visit(page, '/product-os');
    const table = page.getByRole('table', { name: 'Entity health' });
    await table.waitFor({ timeout: 60_000 });
    await page
      .getByRole('list', { name: 'Diagnoses needing a human' })
      .waitFor({ timeout: 60_000 });
    await page.waitForLoadState('networkidle');
    assert.equal(
      healthRequests.length,
      1,
      `/health asked ${healthRequests.length} times`,
    );
    const text = await table.innerText();
    assert.doesNotMatch(text, /\(new\)/);
    assert.doesNotMatch(await page.locator('main').innerText(), CODE_WORDS);
  });
});
