import type { ErrorGroupRecord } from '../../../database/errors/ErrorStore';
import type { EntityContext } from '../../types';
import { dependencyCalls, namePhrases } from './dependencyCalls';

const dependency = (name: string): EntityContext => ({
  entityRef: `component:default/${name}`,
  name,
  dependsOn: [],
  keyMetrics: [],
});

function group(
  id: number,
  title: string,
  frames: { filename: string; inApp: boolean }[],
): ErrorGroupRecord {
  return {
    id,
    entityRef: 'component:default/shop-checkout-api',
    source: 'sentry',
    fingerprint: `fp${id}`,
    title,
    level: 'error',
    status: 'unresolved',
    firstSeen: 0,
    lastSeen: 0,
    topFrames: frames,
    eventCount: 10,
  };
}

describe('dependencyCalls', () => {
  it('names a dependency by its name or an ending of it, never by a generic word alone', () => {
    expect(namePhrases('acme-auth-service')).toEqual([
      ['acme', 'auth', 'service'],
      ['auth', 'service'],
    ]);
    expect(namePhrases('shop-notifications')).toEqual([
      ['shop', 'notifications'],
      ['notifications'],
    ]);
  });

  it('finds failed calls by the title or by the client the innermost in-app frame is in', () => {
    const auth = dependency('acme-auth-service');
    const shipping = dependency('acme-shipping-api');
    const byTitle = group(
      1,
      'UpstreamError: auth-service responded 502 Bad Gateway',
      [{ filename: 'app:///src/api/httpClient.ts', inApp: true }],
    );
    const byClient = group(2, 'FetchError: socket hang up', [
      {
        filename: '/usr/src/app/node_modules/undici/lib/fetch/index.js',
        inApp: false,
      },
      {
        filename: '/usr/src/app/dist/clients/authServiceClient.js',
        inApp: true,
      },
      { filename: '/usr/src/app/dist/orders/ordersService.js', inApp: true },
    ]);
    // Only deeper callers, or a generic word, say nothing about which dependency failed.
    const unrelated = group(
      3,
      'ValidationError: the service rejected the api key',
      [
        { filename: '/app/src/orders/ordersService.ts', inApp: true },
        { filename: '/app/src/clients/shippingApiClient.ts', inApp: true },
      ],
    );
    const calls = dependencyCalls(
      [
        { group: byTitle, share: 0.5 },
        { group: byClient, share: 0.3 },
        { group: unrelated, share: 0.2 },
      ],
      [auth, shipping],
    );
    expect(calls.shares.get(auth.entityRef)).toBeCloseTo(0.8, 10);
    expect(calls.shares.has(shipping.entityRef)).toBe(false);
    expect([...calls.groups.keys()].sort()).toEqual([1, 2]);
    expect([...calls.outbound].sort()).toEqual([1, 2]);
  });

  it('takes a call that failed on the far side for an outbound failure, a bug of the caller not', () => {
    const frames = [
      { filename: '/app/services/checkout/src/lib/http.ts', inApp: true },
    ];
    const calls = dependencyCalls(
      [
        {
          group: group(1, 'Error: connect ETIMEDOUT 52.84.150.12:443', frames),
          share: 0.5,
        },
        {
          group: group(
            2,
            'TimeoutError: pricing lookup timed out after 5000ms',
            frames,
          ),
          share: 0.5,
        },
      ],
      [],
    );
    expect([...calls.outbound]).toEqual([1]);
    expect(calls.shares.size).toBe(0);
  });
});
