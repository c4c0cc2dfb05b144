import type { CapturedEvent } from '../capture/normalizeEvents';
import { mapException } from './mapException';

/** A `$exception` as posthog-node 5 sends it (frames oldest call first). */
function exceptionEvent(properties: Record<string, unknown>): CapturedEvent {
  return {
    name: '$exception',
    distinctId: 'user-1',
    personless: false,
    timestamp: Date.parse('2026-11-20T10:15:00Z'),
    uuid: '0191d0c5-1111-7000-8000-000000000001',
    properties: { $lib: 'posthog-node', $lib_version: '5.70.0', ...properties },
  };
}

const frame = (fn: string, filename: string, lineno: number, inApp = true) => ({
  platform: 'node:javascript',
  filename,
  function: fn,
  lineno,
  colno: 11,
  in_app: inApp,
});

const stack = (line: number) => ({
  type: 'raw',
  frames: [
    frame(
      'processTicksAndRejections',
      'node:internal/process/task_queues',
      95,
      false,
    ),
    frame('handleCheckout', '/app/dist/routes/checkout.js', 40),
    frame('chargeCard', '/app/dist/payments/charge.js', line),
    frame('request', '/app/node_modules/stripe/lib/request.js', 210, false),
  ],
});

describe('mapException', () => {
  it('groups occurrences that differ only in ids, numbers and line numbers', () => {
    const a = mapException(
      exceptionEvent({
        $exception_list: [
          {
            type: 'CardError',
            value: 'Card declined for order 1001 (req 9f8e7d6c5b4a)',
            stacktrace: stack(12),
          },
        ],
      }),
      'key-1',
    );
    const b = mapException(
      exceptionEvent({
        $exception_list: [
          {
            type: 'CardError',
            value: 'Card declined for order 2002 (req 0a1b2c3d4e5f)',
            stacktrace: stack(14),
          },
        ],
      }),
      'key-1',
    );
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a).toMatchObject({
      source: 'posthog',
      title: 'CardError: Card declined for order 1001 (req 9f8e7d6c5b4a)',
      culprit: 'chargeCard (/app/dist/payments/charge.js)',
      level: 'error',
      eventId: '0191d0c5-1111-7000-8000-000000000001',
      userKey: 'key-1',
      topFrames: [
        {
          filename: '/app/dist/payments/charge.js',
          function: 'chargeCard',
          lineno: 12,
          inApp: true,
        },
        {
          filename: '/app/dist/routes/checkout.js',
          function: 'handleCheckout',
          lineno: 40,
          inApp: true,
        },
      ],
    });

    const otherFunction = mapException(
      exceptionEvent({
        $exception_list: [
          {
            type: 'CardError',
            value: 'Card declined for order 1001 (req 9f8e7d6c5b4a)',
            stacktrace: {
              type: 'raw',
              frames: [frame('refund', '/app/dist/payments/refund.js', 3)],
            },
          },
        ],
      }),
      undefined,
    );
    expect(otherFunction.fingerprint).not.toBe(a.fingerprint);
  });

  it("uses the SDK's $exception_fingerprint when it sets one", () => {
    const event = mapException(
      exceptionEvent({
        $exception_fingerprint: 'checkout-card-declined',
        $exception_list: [
          { type: 'CardError', value: 'x', stacktrace: stack(1) },
        ],
      }),
      undefined,
    );
    expect(event.fingerprint).toBe('custom:checkout-card-declined');
  });

  it('reads the older $exception_type and $exception_message properties', () => {
    const event = mapException(
      exceptionEvent({
        $exception_type: 'TimeoutError',
        $exception_message: 'Upstream timed out after 3000ms',
        $exception_level: 'warning',
      }),
      undefined,
    );
    expect(event).toMatchObject({
      title: 'TimeoutError: Upstream timed out after 3000ms',
      level: 'warning',
      topFrames: [],
    });
  });

  it('keeps only the exception in the sample, no other property', () => {
    const event = mapException(
      exceptionEvent({
        email: 'jane@example.com',
        $exception_list: [
          { type: 'CardError', value: 'declined', stacktrace: stack(1) },
        ],
      }),
      'key-1',
    );
    expect(JSON.stringify(event)).not.toContain('jane@example.com');
    expect(JSON.stringify(event)).not.toContain('user-1');
  });
});
