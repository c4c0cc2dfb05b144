/*
 * The health score explains itself (issue #14, finding 3): on the leaders' page each score says
 * what lowered it, hovering it gives every input and its points, and the sum adds up to the
 * score the API gives.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { apiGet, eventually, visit, withPage } from './browser.mjs';

test("every score on the leaders' page shows what it is made of", async () => {
  const { items } = await eventually(
    'the health ranking with its inputs',
    async () => {
      const answer = await apiGet('/api/product-os/health');
      return (
        answer.items.length > 0 &&
        answer.items.every(row => row.inputs) &&
        answer
      );
    },
    60_000,
  );
  const worst = [...items].sort((a, b) => a.score - b.score)[0];
  const taken = worst.inputs.reduce((sum, input) => sum + input.penalty, 0);
  assert.equal(worst.score, Math.max(0, 100 - taken));

  await withPage('health-breakdown', async page => {
    await visit(page, '/product-os');
    const table = page.getByRole('table', { name: 'Entity health' });
    await table.waitFor({ timeout: 60_000 });
    const row = table.getByRole('row').filter({
      has: page.getByRole('link', {
        name: worst.title ?? worst.entityRef.split('/').pop(),
        exact: true,
      }),
    });
    const cells = row.getByRole('cell');
    const lowers = await cells.nth(4).innerText();
    const penalised = worst.inputs.filter(input => input.penalty > 0);
    if (penalised.length === 0) {
      assert.equal(lowers, 'Nothing');
    } else {
      const biggest = Math.max(...penalised.map(input => input.penalty));
      assert.match(lowers.split('\n')[0], new RegExp(`^−${biggest} `));
      // The two largest, then how many more.
      const shown = lowers.split('\n');
      assert.equal(
        shown.length,
        Math.min(penalised.length, 2) + (penalised.length > 2 ? 1 : 0),
      );
      if (penalised.length > 2) {
        assert.equal(shown[2], `and ${penalised.length - 2} more`);
      }
    }

    await cells.nth(3).getByText(String(worst.score), { exact: true }).hover();
    const tooltip = page.getByRole('tooltip');
    await tooltip.waitFor();
    const breakdown = await tooltip.innerText();
    assert.match(breakdown, new RegExp(`100 − ${taken} = ${worst.score}`));
    const lines = breakdown.split('\n').filter(l => /: .*, −\d+$/.test(l));
    assert.equal(lines.length, worst.inputs.length, breakdown);
    // Keyboard users reach it too.
    await page.mouse.move(0, 0);
    await cells.nth(3).getByRole('button').focus();
    await tooltip.waitFor();
  });
});
