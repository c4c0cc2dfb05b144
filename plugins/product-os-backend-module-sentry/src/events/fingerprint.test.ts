import { defaultFingerprint, eventFingerprint } from './fingerprint';
import type { SentryFrame } from './frames';

const frames: SentryFrame[] = [
  {
    filename: '/app/src/payments/charge.js',
    module: 'payments.charge',
    function: 'chargeCard',
    lineno: 12,
    inApp: true,
  },
  {
    filename: '/app/node_modules/express/lib/router/layer.js',
    module: 'express.lib.router:layer',
    function: 'Layer.handle',
    lineno: 95,
    inApp: false,
  },
  {
    filename: '/app/src/routes/checkout.js',
    module: 'routes.checkout',
    function: 'postCheckout',
    lineno: 40,
    inApp: true,
  },
];

describe('defaultFingerprint', () => {
  const base = { type: 'TypeError', message: 'Card 42 was declined', frames };

  it('ignores the varying parts of the message and the line numbers', () => {
    expect(
      defaultFingerprint({
        ...base,
        message: 'Card 77 was declined',
        frames: frames.map(frame => ({
          ...frame,
          lineno: (frame.lineno ?? 0) + 10,
        })),
      }),
    ).toBe(defaultFingerprint(base));
  });

  it('ignores frames that are not in-app', () => {
    expect(
      defaultFingerprint({ ...base, frames: frames.filter(f => f.inApp) }),
    ).toBe(defaultFingerprint(base));
  });

  it('tells apart another type, another message or another in-app function', () => {
    const fingerprint = defaultFingerprint(base);
    expect(defaultFingerprint({ ...base, type: 'RangeError' })).not.toBe(
      fingerprint,
    );
    expect(
      defaultFingerprint({ ...base, message: 'Card 42 expired' }),
    ).not.toBe(fingerprint);
    expect(
      defaultFingerprint({
        ...base,
        frames: [{ ...frames[0], function: 'refundCard' }, ...frames.slice(1)],
      }),
    ).not.toBe(fingerprint);
  });

  it('looks at the top five in-app frames only', () => {
    const many: SentryFrame[] = Array.from({ length: 8 }, (_, i) => ({
      filename: `/app/src/f${i}.js`,
      function: `f${i}`,
      inApp: true,
    }));
    const changedBelowTopFive = [
      ...many.slice(0, 5),
      { ...many[5], function: 'other' },
      ...many.slice(6),
    ];
    expect(defaultFingerprint({ ...base, frames: changedBelowTopFive })).toBe(
      defaultFingerprint({ ...base, frames: many }),
    );
  });
});

describe('eventFingerprint', () => {
  const fallback = defaultFingerprint({ type: 'Error', message: 'x', frames });

  it('uses the default when the SDK sent none, or only {{ default }}', () => {
    expect(eventFingerprint(undefined, fallback)).toBe(fallback);
    expect(eventFingerprint([], fallback)).toBe(fallback);
    expect(eventFingerprint(['{{ default }}'], fallback)).toBe(fallback);
    expect(eventFingerprint(['{{default}}'], fallback)).toBe(fallback);
  });

  it("groups by the SDK's fingerprint, expanding {{ default }}", () => {
    const custom = eventFingerprint(['payment-gateway', 'timeout'], fallback);
    expect(custom).not.toBe(fallback);
    expect(
      eventFingerprint(['payment-gateway', 'timeout'], 'another default'),
    ).toBe(custom);

    const extended = eventFingerprint(['{{ default }}', 'tenant-a'], fallback);
    expect(extended).not.toBe(fallback);
    expect(
      eventFingerprint(['{{ default }}', 'tenant-a'], 'another default'),
    ).not.toBe(extended);
  });
});
