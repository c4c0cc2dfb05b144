/*
 * The error chart as a reader reads it (issue #14, finding 8): the y-axis says its unit, deploy
 * labels never print over each other (those left off are counted on the label before them),
 * the tooltip is in the theme's font, and a spike can be clipped so the baseline stays readable.
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

const CHECKOUT_TAB = '/catalog/default/component/checkout-api/product-os';

function overlaps(a, b) {
  return (
    a.x < b.x + b.width &&
    b.x < a.x + a.width &&
    a.y < b.y + b.height &&
    b.y < a.y + a.height
  );
}

test('the error chart has a unit, deploy labels apart, the theme font and a clipped scale', async () => {
  // The demo's bad deploy makes the spike; the agent's diagnosis of it says it has happened.
  await eventually(
    "the demo's error spike",
    async () =>
      (
        await apiGet(
          '/api/product-os/entities/component/default/checkout-api/overview?window=7d',
        )
      ).latestDiagnosis,
    10 * 60_000,
  );
  await withPage('charts-error-trends', async page => {
    await visit(page, CHECKOUT_TAB);
    const chart = page.getByRole('img', {
      name: /^Error events per hour over the last 7 days, \d+ deploys? marked$/,
    });
    await chart.waitFor({ timeout: 60_000 });
    // The chart draws once its container has measured itself.
    await chart
      .locator('.recharts-reference-line')
      .first()
      .waitFor({ state: 'attached' });

    assert.equal(
      await chart.locator('.recharts-yAxis .recharts-label').textContent(),
      'events / hour',
    );

    const deploys = Number(
      (await chart.getAttribute('aria-label')).match(
        /(\d+) deploys? marked/,
      )[1],
    );
    const labels = chart.locator('.recharts-reference-line .recharts-label');
    const boxes = await labels.evaluateAll(nodes =>
      nodes.map(node => {
        const r = node.getBoundingClientRect();
        return {
          x: r.x,
          y: r.y,
          width: r.width,
          height: r.height,
          text: node.textContent,
        };
      }),
    );
    assert.ok(boxes.length > 0, 'no deploy is labelled');
    for (let i = 0; i < boxes.length; i++) {
      for (let j = i + 1; j < boxes.length; j++) {
        assert.ok(
          !overlaps(boxes[i], boxes[j]),
          `"${boxes[i].text}" prints over "${boxes[j].text}"`,
        );
      }
    }
    // Every deploy drawn is named or counted on a label ("4f2a9c1 +2").
    const lines = await chart.locator('.recharts-reference-line').count();
    const counted = boxes.reduce(
      (sum, box) => sum + 1 + Number(box.text.match(/\+(\d+)$/)?.[1] ?? 0),
      0,
    );
    assert.ok(
      lines <= counted && counted <= deploys,
      `${lines} deploy lines drawn, ${counted} on labels, ${deploys} deploys`,
    );

    // The tooltip, in the font of the page's own text, not the browser's serif.
    // hover() scrolls the chart into view first (the tab scrolls inside <main>).
    const surface = chart.locator('.recharts-surface');
    const size = await surface.boundingBox();
    await surface.hover({
      position: { x: size.width * 0.6, y: size.height / 2 },
    });
    const tooltip = chart.locator('.recharts-default-tooltip');
    await tooltip.waitFor();
    const [tooltipFont, pageFont] = await Promise.all([
      tooltip.evaluate(node => getComputedStyle(node).fontFamily),
      page
        .locator('main [class*="MuiTypography-body2"]')
        .first()
        .evaluate(node => getComputedStyle(node).fontFamily),
    ]);
    assert.equal(tooltipFont, pageFont);
    assert.match(await tooltip.innerText(), /events \/ hour/);

    // The demo's bad deploy is a spike: the scale can be clipped above the usual volume.
    const clip = page.getByRole('button', {
      name: /^Clip spikes above [\d,]+$/,
    });
    await clip.waitFor();
    const ceiling = Number((await clip.innerText()).replace(/\D/g, ''));
    await clip.click();
    const clipped = page.getByRole('img', {
      name: new RegExp(`clipped at ${ceiling.toLocaleString('en-US')}$`),
    });
    await clipped.waitFor();
    const ticks = (
      await clipped
        .locator('.recharts-yAxis .recharts-cartesian-axis-tick-value')
        .allTextContents()
    ).map(text => Number(text.replace(/,/g, '')));
    assert.ok(
      Math.max(...ticks) <= ceiling,
      `the clipped axis goes to ${Math.max(...ticks)}, above ${ceiling}`,
    );
    await screenshotCard(page, clipped, 'charts-error-trends-clipped');
  });
});
