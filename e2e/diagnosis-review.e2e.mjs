/*
 * Reviewing a diagnosis (issue #5): a person expands it, reads the suspect and the evidence,
 * acknowledges it with a reason, and the status chip and the stored diagnosis both say so.
 *
 * It acknowledges the storefront's diagnosis of the demo's bad deploy (the storefront pages
 * its on-call when PR #812 breaks checkout-api), not checkout-api's own: demo.e2e.mjs expects
 * that one open, in whatever order the files run.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  apiGet,
  eventually,
  screenshotCard,
  visit,
  withPage,
} from './browser.mjs';

const STOREFRONT = '/api/product-os/entities/component/default/storefront';
const REASON = 'Rolling back PR #812 on checkout-api';

test("acknowledging the storefront's diagnosis of PR #812 changes its status", async () => {
  // The demo deploys PR #812 once its history is sent; the storefront pages 40 s later.
  const diagnosis = await eventually(
    "the storefront's open diagnosis naming PR #812",
    async () => {
      // The dev server restarts the backend when sources change; wait through that too.
      const { items } = await apiGet(`${STOREFRONT}/diagnoses`).catch(() => ({
        items: [],
      }));
      // The storefront pages before checkout-api's errors add up to trouble of its own; the
      // agent then rewrites the diagnosis in place with that dependency. Wait for the rewrite,
      // so the page shows the same diagnosis as this one.
      return items.find(
        item =>
          /PR #812 by dana/.test(item.summary) &&
          item.status === 'open' &&
          item.evidence.some(e => e.kind === 'dependency'),
      );
    },
    8 * 60_000,
  );

  await withPage('diagnosis-review', async page => {
    await visit(page, '/catalog/default/component/storefront/product-os');
    const item = page.locator(`#product-os-diagnosis-${diagnosis.id}`);
    await item.waitFor({ timeout: 60_000 });
    await item.getByLabel('Status: Open').waitFor();
    await item.getByRole('button', { name: /PR #812 by dana/ }).click();

    const suspects = item.getByRole('list', { name: 'Suspects' });
    await suspects.waitFor();
    // The storefront's own repository did not change: the top suspect is checkout-api's deploy.
    const [, sha] = diagnosis.summary.match(/deploy ([0-9a-f]{7}) \(PR #812/);
    assert.match(
      await suspects.locator(':scope > li').first().innerText(),
      new RegExp(`Deploy main \\(${sha}\\)`),
    );
    const evidence = item
      .getByRole('list', { name: 'Evidence', exact: true })
      .getByRole('listitem');
    assert.equal(await evidence.count(), diagnosis.evidence.length);
    assert.ok(diagnosis.evidence.length > 0, 'the diagnosis has no evidence');

    await item
      .getByRole('button', { name: 'Acknowledge', exact: true })
      .click();
    const dialog = page.getByRole('dialog', { name: 'Acknowledge diagnosis' });
    await dialog
      .getByRole('textbox', { name: 'Reason (optional)' })
      .fill(REASON);
    await dialog.getByRole('button', { name: 'Acknowledge' }).click();
    await dialog.waitFor({ state: 'detached' });
    await item.getByLabel('Status: Acknowledged').waitFor();
    // An acknowledged diagnosis can still be resolved or rejected, not acknowledged again.
    assert.equal(
      await item
        .getByRole('button', { name: 'Acknowledge', exact: true })
        .count(),
      0,
    );
    await item.getByRole('button', { name: 'Resolve' }).waitFor();
    await screenshotCard(page, item, 'diagnosis-acknowledged');

    // After a reload the status comes from the backend, with who changed it and why.
    await page.reload();
    await item.getByLabel('Status: Acknowledged').waitFor({ timeout: 60_000 });
    await item.getByRole('button', { name: /PR #812 by dana/ }).click();
    const history = item.getByRole('list', { name: 'Review history' });
    assert.match(
      await history.innerText(),
      new RegExp(`Open → Acknowledged: ${REASON}`),
    );
  });

  const { items } = await apiGet(`${STOREFRONT}/diagnoses`);
  assert.equal(
    items.find(item => item.id === diagnosis.id).status,
    'acknowledged',
  );
});
