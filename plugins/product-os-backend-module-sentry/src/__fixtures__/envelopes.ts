import { randomUUID } from 'crypto';

/* An error event as a Node SDK sends it, and the envelope that carries it. */

/** A fresh event id, as an SDK makes one. */
export function eventId(): string {
  return randomUUID().replace(/-/g, '');
}

export function errorEvent(
  id: string,
  message = 'Payment provider timed out after 3000 ms',
) {
  return {
    event_id: id,
    timestamp: Date.now() / 1000,
    platform: 'node',
    level: 'error',
    release: 'checkout-api@2.15.0',
    environment: 'production',
    exception: {
      values: [
        {
          type: 'GatewayTimeoutError',
          value: message,
          stacktrace: {
            frames: [
              {
                filename: 'node:internal/process/task_queues',
                function: 'processTicksAndRejections',
                in_app: false,
              },
              {
                filename: '/srv/checkout/src/routes/pay.js',
                module: 'routes:pay',
                function: 'postPayment',
                lineno: 31,
                in_app: true,
              },
              {
                filename: '/srv/checkout/src/gateway/client.js',
                module: 'gateway:client',
                function: 'authorize',
                lineno: 88,
                in_app: true,
              },
            ],
          },
        },
      ],
    },
    user: { id: 'customer-1192', ip_address: '198.51.100.23' },
    request: {
      url: 'https://shop.example.com/pay',
      headers: { Cookie: 'session=s3cr3t' },
    },
  };
}

export function envelope(
  event: { event_id: string },
  extra: string[] = [],
): Buffer {
  const payload = JSON.stringify(event);
  return Buffer.from(
    [
      JSON.stringify({
        event_id: event.event_id,
        sent_at: new Date().toISOString(),
      }),
      JSON.stringify({ type: 'event', length: Buffer.byteLength(payload) }),
      payload,
      ...extra,
    ].join('\n'),
  );
}
