import { normalizeEvents } from './normalizeEvents';
import { parseCaptureRequest } from './parseCaptureRequest';

describe('parseCaptureRequest', () => {
  const parse = (body: unknown, query: Record<string, unknown> = {}) =>
    parseCaptureRequest(
      Buffer.from(typeof body === 'string' ? body : JSON.stringify(body)),
      {
        query,
      },
    );

  it('reads the project key from the body, the query or the first event', () => {
    expect(parse({ api_key: 'phc_a', batch: [{ event: 'x' }] }).apiKey).toBe(
      'phc_a',
    );
    expect(parse([{ event: 'x' }], { token: 'phc_b' }).apiKey).toBe('phc_b');
    expect(parse({ event: 'x', properties: { token: 'phc_c' } }).apiKey).toBe(
      'phc_c',
    );
    expect(() => parse({ batch: [{ event: 'x' }] })).toThrow(/api_key/);
  });

  it('reads the send time from the body, else from the `_` query parameter, and ignores one that is not a time', () => {
    const batch = [{ event: 'x' }];
    const sentAt = '2026-11-20T11:55:00.000Z';
    expect(parse({ api_key: 'k', sent_at: sentAt, batch }).sentAt).toBe(
      Date.parse(sentAt),
    );
    expect(parse({ api_key: 'k', batch }, { _: '1795694100000' }).sentAt).toBe(
      1795694100000,
    );
    for (const hostile of ['soon', '', '+999999-01-01T00:00:00Z']) {
      expect(
        parse({ api_key: 'k', sent_at: hostile, batch }).sentAt,
      ).toBeUndefined();
    }
    expect(
      parse({ api_key: 'k', batch }, { _: '1e400' }).sentAt,
    ).toBeUndefined();
  });

  it('reads base64 bodies the way posthog-js sends them with ?compression=base64', () => {
    const body = { api_key: 'phc_a', batch: [{ event: 'x', n: '>>>???' }] };
    const base64 = Buffer.from(JSON.stringify(body)).toString('base64');
    expect(base64).toContain('+');
    // sendBeacon's form body: URL-encoded base64 in `data`.
    expect(
      parseCaptureRequest(Buffer.from(`data=${encodeURIComponent(base64)}`), {
        query: { compression: 'base64' },
        contentType: 'application/x-www-form-urlencoded',
      }).events,
    ).toEqual(body.batch);
    // An older SDK that did not URL-encode it: its `+` arrive as spaces.
    expect(
      parseCaptureRequest(Buffer.from(`data=${base64}`), {
        query: {},
        contentType: 'application/x-www-form-urlencoded',
      }).events,
    ).toEqual(body.batch);
    // A bare base64 body.
    expect(
      parseCaptureRequest(Buffer.from(base64), {
        query: { compression: 'base64' },
        contentType: 'text/plain',
      }).events,
    ).toEqual(body.batch);
  });

  it('refuses bodies that are not capture requests', () => {
    expect(() => parse('not json')).toThrow(/not valid JSON/);
    expect(() => parse({ api_key: 'phc_a' })).toThrow(/expected "batch"/);
  });
});

describe('normalizeEvents', () => {
  const receivedAt = Date.parse('2026-11-20T12:00:00.000Z');

  it("corrects event times by the sender's clock, like PostHog", () => {
    const { events, dropped } = normalizeEvents(
      [
        // The SDK's clock is 5 minutes behind the server's.
        {
          event: 'a',
          distinct_id: 'u1',
          timestamp: '2026-11-20T11:50:00.000Z',
        },
        { event: 'b', distinct_id: 42, offset: 1500 },
        { event: 'c', timestamp: '2026-11-23T12:00:00.000Z' },
        { event: '', distinct_id: 'u1' },
        { distinct_id: 'u1' },
      ],
      { sentAt: Date.parse('2026-11-20T11:55:00.000Z'), receivedAt },
    );
    expect(dropped).toBe(2);
    expect(
      events.map(e => [
        e.name,
        e.distinctId,
        new Date(e.timestamp).toISOString(),
      ]),
    ).toEqual([
      ['a', 'u1', '2026-11-20T11:55:00.000Z'],
      ['b', '42', '2026-11-20T11:59:58.500Z'],
      // Days in the future: moved to when it arrived.
      ['c', undefined, '2026-11-20T12:00:00.000Z'],
    ]);
  });

  it('does not let a hostile sent_at or offset move events out of time', () => {
    const { events } = normalizeEvents(
      [
        // A sent_at far in the future would move this event 270,000 years back.
        { event: 'a', timestamp: '2026-11-20T11:59:00.000Z' },
      ],
      { sentAt: Date.parse('+275760-09-13T00:00:00.000Z'), receivedAt },
    );
    const { events: offsets } = normalizeEvents(
      [
        { event: 'b', offset: 8e15 },
        { event: 'c', offset: -1e12 },
        { event: 'd', timestamp: '-010000-01-01T00:00:00.000Z' },
      ],
      { receivedAt },
    );
    expect(
      [...events, ...offsets].map(e => new Date(e.timestamp).toISOString()),
    ).toEqual(Array(4).fill('2026-11-20T12:00:00.000Z'));
  });

  it('leaves an event that sets $ignore_sent_at uncorrected, like PostHog', () => {
    const { events } = normalizeEvents(
      [
        {
          event: 'imported',
          timestamp: '2026-11-19T08:00:00.000Z',
          properties: { $ignore_sent_at: true },
        },
        { event: 'live', timestamp: '2026-11-20T11:50:00.000Z' },
      ],
      { sentAt: Date.parse('2026-11-20T11:55:00.000Z'), receivedAt },
    );
    expect(events.map(e => new Date(e.timestamp).toISOString())).toEqual([
      '2026-11-19T08:00:00.000Z',
      '2026-11-20T11:55:00.000Z',
    ]);
  });

  it('marks events sent without a person', () => {
    const { events } = normalizeEvents(
      [
        {
          event: '$exception',
          distinct_id: 'c0ffee',
          properties: { $process_person_profile: false },
        },
      ],
      { receivedAt },
    );
    expect(events[0].personless).toBe(true);
  });
});
