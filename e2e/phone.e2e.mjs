/*
 * The case file on a phone (issue #14, finding 5): at 390×844 the tables of the entity tab and
 * the leaders' page become a list with an entry per row, nothing is wider than the screen,
 * and no column that remains is squeezed to a character or two.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  accessibilityViolations,
  screenshotWhole,
  visit,
  withPage,
} from './browser.mjs';

const PHONE = { viewport: { width: 390, height: 844 } };
/** Narrower than this, a table cell holds a word of three or four letters at most. */
const READABLE_CELL_PX = 48;

/**
 * What on the page does not fit a phone: the document or <main> scrolling sideways, and every
 * table cell narrower than a readable width.
 */
async function misfits(page) {
  return page.evaluate(minCell => {
    const found = [];
    const width = window.innerWidth;
    for (const box of [
      document.documentElement,
      ...document.querySelectorAll('main'),
    ]) {
      if (box.scrollWidth > box.clientWidth + 1) {
        found.push(
          `${box.tagName} scrolls sideways: ${box.scrollWidth}px in ${box.clientWidth}px`,
        );
      }
    }
    document.querySelectorAll('main th, main td').forEach(cell => {
      const rect = cell.getBoundingClientRect();
      if (rect.width > 0 && rect.width < minCell) {
        found.push(
          `a ${Math.round(rect.width)}px cell: "${cell.textContent.slice(
            0,
            30,
          )}"`,
        );
      }
      if (rect.right > width + 1) {
        found.push(
          `a cell past the screen's edge: "${cell.textContent.slice(0, 30)}"`,
        );
      }
    });
    return found;
  }, READABLE_CELL_PX);
}

test("checkout-api's tab reflows to the phone's width", async () => {
  await withPage(
    'phone-entity-tab',
    async page => {
      await visit(page, '/catalog/default/component/checkout-api/product-os');
      // The tables are lists of entries here.
      const incidents = page.getByRole('list', { name: 'Incidents' });
      await incidents.waitFor({ timeout: 60_000 });
      const errors = page.getByRole('list', { name: 'Top error groups' });
      await errors.waitFor({ timeout: 60_000 });
      await page.getByRole('list', { name: 'Changes' }).waitFor();
      assert.equal(
        await page.getByRole('table', { name: 'Incidents' }).count(),
        0,
      );

      // Each entry titles itself and names every value.
      const first = incidents.getByRole('listitem').first();
      const terms = await first.locator('dt').allInnerTexts();
      assert.deepEqual(terms, [
        'Urgency',
        'Status',
        'Started',
        'Duration',
        'Time to ack',
        'Time to resolve',
      ]);
      await first.getByRole('button', { name: /^Timeline of / }).waitFor();
      assert.ok(
        (await errors.getByRole('listitem').count()) > 0,
        'no error group listed',
      );

      assert.deepEqual(await misfits(page), []);
      assert.deepEqual(await accessibilityViolations(page), []);
      await screenshotWhole(page, 'phone-entity-tab');
    },
    PHONE,
  );
});

test("the leaders' page reflows to the phone's width", async () => {
  await withPage(
    'phone-leaders-page',
    async page => {
      await visit(page, '/product-os');
      const ranking = page.getByRole('list', { name: 'Entity health' });
      await ranking.waitFor({ timeout: 60_000 });
      await page
        .getByRole('list', { name: 'Diagnoses needing a human' })
        .waitFor({ timeout: 60_000 });
      const entry = ranking.getByRole('listitem').first();
      assert.deepEqual(
        (await entry.locator('dt').allInnerTexts()).slice(0, 3),
        ['Place', 'Owner', 'Health'],
      );
      assert.match(
        await entry.getByRole('link').first().getAttribute('href'),
        /\/product-os$/,
      );
      assert.deepEqual(await misfits(page), []);
      assert.deepEqual(await accessibilityViolations(page), []);
      await screenshotWhole(page, 'phone-leaders-page');
    },
    PHONE,
  );
});

test("a Group page's ranking is a list of entries on a phone, each with its week", async () => {
  await withPage(
    'phone-group-page',
    async page => {
      await visit(page, '/catalog/default/group/engineering/product-os');
      const ranking = page.getByRole('list', {
        name: 'Services of engineering by health',
      });
      await ranking.waitFor({ timeout: 60_000 });
      assert.equal(
        await page
          .getByRole('table', { name: 'Services of engineering by health' })
          .count(),
        0,
      );
      const entry = ranking.getByRole('listitem').first();
      assert.deepEqual(await entry.locator('dt').allInnerTexts(), [
        'Place',
        'Owner',
        'Health',
        'What lowers it',
        'Deployments (7 days)',
        'Incidents (7 days)',
      ]);
      assert.match(
        await entry.locator('dd').nth(4).innerText(),
        /^\d+$/,
        'the deployments are a count',
      );
      await page
        .getByText(/figures as of/)
        .locator('time')
        .waitFor();
      assert.deepEqual(await misfits(page), []);
      // The card with the ranking (the trend below says "No history yet" until the snapshot
      // task's first run; the department's desktop test checks the whole page after it).
      assert.deepEqual(
        await accessibilityViolations(page, {
          include: 'section[aria-label="Team health"]',
        }),
        [],
      );
    },
    PHONE,
  );
});
