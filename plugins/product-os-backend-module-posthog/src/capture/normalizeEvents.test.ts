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
