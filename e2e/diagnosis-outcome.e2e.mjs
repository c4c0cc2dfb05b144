/*
 * What became of a diagnosis (issue #12, learning from outcomes): a new error on the
 * notifications service, sent as the Sentry SDK sends it, is diagnosed; a person rejects the
 * diagnosis with a reason, and the case file shows its outcome, refuted, with that reason, also
 * after a reload (from the stored outcome the agent learns from).
 *
 * It uses the notifications service, which no other browser test reviews.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import {
  apiGet,
  backendUrl,
  eventually,
  screenshotCard,
  visit,
  withPage,
} from './browser.mjs';

const NOTIFICATIONS =
  '/api/product-os/entities/component/default/notifications';
// The notifications service's Sentry project in examples/demo/app-config.yaml.
const ENVELOPES = `${backendUrl}/api/product-os/sentry/api/107/envelope/?sentry_key=deadbeef000000000000000000000107&sentry_version=7`;
const REASON = 'The mail provider was down; nothing of ours changed';

/** One error event in a Sentry envelope, as @sentry/node sends it. */
async function sendError(message) {
  const event = JSON.stringify({
    event_id: randomBytes(16).toString('hex'),
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    environment: 'production',
    exception: {
      values: [
        {
          type: 'Error',
          value: message,
          stacktrace: {
            frames: [
              {
                filename: '/app/src/mail/sendReceipt.ts',
                function: 'sendReceipt',
                in_app: true,
              },
            ],
          },
        },
      ],
    },
  });
  const body = [
    JSON.stringify({ sent_at: new Date().toISOString() }),
    JSON.stringify({ type: 'event', length: Buffer.byteLength(event) }),
    event,
  ].join('\n');
  const res = await fetch(ENVELOPES, {
    method: 'POST',
    headers: { 'content-type': 'application/x-sentry-envelope' },
    body,
  });
  if (res.status !== 200)
    throw new Error(`the envelope was refused: ${res.status}`);
}

/**
 * Sends a new error group (it counts as an anomaly from its tenth event) and waits for the
 * notifications service's diagnosis of it; sends a fresh one when none comes within a minute
 * (the dev server restarts the backend, with an empty database, when sources change).
 */
async function diagnosedNewError() {
  for (let attempt = 0; attempt < 4; attempt++) {
    await eventually(
      'the notifications service in the catalog',
      () =>
        apiGet('/api/catalog/entities/by-name/component/default/notifications'),
      2 * 60_000,
    );
    const since = Date.now();
    const message = `SMTP 421 from the mail provider ${randomBytes(3).toString(
      'hex',
    )}`;
    for (let i = 0; i < 15; i++) {
      await sendError(message).catch(() => undefined);
      await new Promise(resolve => setTimeout(resolve, 200));
    }
    const diagnosis = await eventually(
      "the notifications service's diagnosis of the new error",
      async () => {
        const { items } = await apiGet(`${NOTIFICATIONS}/diagnoses`).catch(
          () => ({ items: [] }),
        );
        return items.find(
          item => item.status === 'open' && Date.parse(item.createdAt) >= since,
        );
      },
      60_000,
    ).catch(() => undefined);
    if (diagnosis) return diagnosis;
  }
  throw new Error(
    'the new error on the notifications service was never diagnosed',
  );
}

test('a rejected diagnosis shows its outcome, refuted, with the reason', async () => {
  const diagnosis = await diagnosedNewError();
  assert.equal(diagnosis.outcome, undefined, 'it has an outcome already');

  await withPage('diagnosis-outcome', async page => {
    await visit(page, '/catalog/default/component/notifications/product-os');
    const item = page.locator(`#product-os-diagnosis-${diagnosis.id}`);
    await item.waitFor({ timeout: 60_000 });
    await item.getByRole('button', { name: /Likely cause/ }).click();
    await item.getByRole('button', { name: 'Reject', exact: true }).click();
    const dialog = page.getByRole('dialog', { name: 'Reject diagnosis' });
    await dialog.getByRole('textbox', { name: 'Reason' }).fill(REASON);
    await dialog.getByRole('button', { name: 'Reject' }).click();
    await dialog.waitFor({ state: 'detached' });
    await item.getByText('Outcome: Refuted').waitFor();

    // After a reload the outcome comes from the backend, with the reason and who gave it.
    await page.reload();
    await item.getByText('Outcome: Refuted').waitFor({ timeout: 60_000 });
    await item.getByRole('button', { name: /Likely cause/ }).click();
    const outcome = item.getByRole('region', { name: 'Outcome' });
    await outcome.waitFor();
    const text = await outcome.innerText();
    assert.match(text, /Refuted\. Rejected by a reviewer at \d\d:\d\d UTC/);
    assert.match(text, new RegExp(`Reason given by user:[^:]+: ${REASON}`));
    await screenshotCard(page, item, 'diagnosis-outcome');
  });

  const stored = await apiGet(`/api/product-os/diagnoses/${diagnosis.id}`);
  assert.equal(stored.status, 'rejected');
  assert.equal(stored.outcome.outcome, 'refuted');
  assert.equal(stored.outcome.reason, REASON);
});
