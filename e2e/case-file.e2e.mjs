/*
 * The case file as an on-call engineer reads it (issue #14), in a browser set to a time zone
 * other than UTC: the latest diagnosis leads in four lines, times are in the reader's zone and
 * say so (UTC on hover), the suspect list folds what the agent did not name, and axe-core,
 * injected into the page, finds no violation on the entity tab (closed and opened) or on the
 * leaders' page.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accessibilityViolations,
  apiGet,
  eventually,
  screenshotWhole,
  visit,
  withPage,
} from './browser.mjs';

const CHECKOUT = '/api/product-os/entities/component/default/checkout-api';
const CHECKOUT_TAB = '/catalog/default/component/checkout-api/product-os';
// Half an hour off the hour, so that no time here can pass for UTC by accident.
const ZONE = { timezoneId: 'Asia/Kolkata' };
const ZONE_LABEL = 'GMT+5:30';

/** The latest diagnosis as the API gives it, once the agent has written one. */
function latestDiagnosis() {
  return eventually(
    "a diagnosis of checkout-api's trouble",
    async () =>
      (await apiGet(`${CHECKOUT}/overview?window=7d`)).latestDiagnosis,
    10 * 60_000,
  );
}

/** The line of the headline that follows `term` ("What broke", "Next step", …). */
async function line(headline, term) {
  return headline
    .locator('dt', { hasText: term })
    .locator('xpath=following-sibling::dd[1]')
    .innerText();
}

test("the tab leads with the latest diagnosis in four lines, in the reader's time zone", async () => {
  const diagnosis = await latestDiagnosis();
  await withPage(
    'case-file-headline',
    async page => {
      await visit(page, CHECKOUT_TAB);
      const headline = page.getByRole('region', { name: 'Latest diagnosis' });
      await headline.waitFor({ timeout: 60_000 });

      const terms = await headline.locator('dt').allInnerTexts();
      assert.deepEqual(terms, [
        'What broke',
        'Likely cause',
        'Next step',
        'Confidence',
      ]);
      const what = await line(headline, 'What broke');
      assert.match(what, /checkout-api/);
      assert.match(
        what,
        new RegExp(`since .* ${ZONE_LABEL.replace('+', '\\+')} \\(`),
      );
      assert.equal(
        await line(headline, 'Confidence'),
        `${
          diagnosis.confidence >= 0.8
            ? 'High'
            : diagnosis.confidence >= 0.5
            ? 'Medium'
            : 'Low'
        } (${Math.round(diagnosis.confidence * 100)}%)`,
      );
      assert.equal(await line(headline, 'Next step'), diagnosis.nextStep);
      const cause = await line(headline, 'Likely cause');
      if (diagnosis.verdict === 'suspect') {
        const named = diagnosis.suspects.find(s => s.rank === 1);
        assert.match(cause, new RegExp(named.change.sha.slice(0, 7)));
      } else {
        assert.match(cause, /not enough evidence/);
      }
      // The agent's long sentence is the detail, not repeated in the headline.
      assert.ok(
        !(await headline.innerText()).includes(diagnosis.summary),
        'the headline repeats the summary',
      );

      // The hover of a time gives it in UTC, the text in the reader's zone.
      const since = headline.locator('time').first();
      assert.match(
        await since.getAttribute('title'),
        /^\d{4}-\d\d-\d\d \d\d:\d\d UTC$/,
      );
      assert.match(
        await since.innerText(),
        new RegExp(ZONE_LABEL.replace('+', '\\+')),
      );

      await screenshotWhole(page, 'case-file-headline');
    },
    ZONE,
  );
});

test('the diagnosis names its suspect in sentences and folds the other changes', async () => {
  const diagnosis = await latestDiagnosis();
  await withPage(
    'case-file-suspects',
    async page => {
      await visit(page, CHECKOUT_TAB);
      const item = page.locator(`#product-os-diagnosis-${diagnosis.id}`);
      await item.waitFor({ timeout: 60_000 });
      const row = item.getByRole('button', { name: /checkout-api/ }).first();
      await row.click();
      const others = diagnosis.suspects.filter(
        s => diagnosis.verdict !== 'suspect' || s.rank !== 1,
      );
      const fold = item.getByRole('button', {
        name: new RegExp(`changes considered \\(${others.length}\\)`, 'i'),
      });
      if (others.length > 0) {
        assert.equal(await fold.getAttribute('aria-expanded'), 'false');
      }
      // Weights only on demand.
      assert.equal(await item.getByText(/weight \d/).count(), 0);
      // Acknowledge is the first stop after the diagnosis's own row.
      await row.focus();
      await page.keyboard.press('Tab');
      const focused = await page.evaluate(
        () => document.activeElement?.textContent,
      );
      assert.equal(focused, 'Acknowledge');
      assert.deepEqual(await accessibilityViolations(page), []);
      if (others.length > 0) {
        await fold.click();
        await item.getByRole('list', { name: /changes considered/i }).waitFor();
        assert.deepEqual(await accessibilityViolations(page), []);
      }
    },
    ZONE,
  );
});

test("axe finds no violation on the entity tab and the leaders' page", async () => {
  await latestDiagnosis();
  await withPage(
    'case-file-axe',
    async page => {
      await visit(page, CHECKOUT_TAB);
      await page
        .getByRole('region', { name: 'Latest diagnosis' })
        .waitFor({ timeout: 60_000 });
      // Every card has loaded (the timeline draws its points once it has measured itself).
      await page.getByRole('list', { name: 'Timeline items' }).waitFor();
      await page.getByRole('table', { name: 'Incidents' }).waitFor();
      await page.getByRole('list', { name: 'Changes' }).waitFor();
      assert.deepEqual(await accessibilityViolations(page), []);
    },
    ZONE,
  );
  await withPage(
    'case-file-axe-leaders',
    async page => {
      await visit(page, '/product-os');
      await page
        .getByRole('table', { name: 'Entity health' })
        .waitFor({ timeout: 60_000 });
      await page
        .getByRole('list', { name: 'Diagnoses needing a human' })
        .waitFor({ timeout: 60_000 });
      assert.deepEqual(await accessibilityViolations(page), []);
    },
    ZONE,
  );
});
