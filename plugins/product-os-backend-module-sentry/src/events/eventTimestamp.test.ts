import { clockDrift, MINIMUM_CLOCK_DRIFT_MS } from '../envelope/clockDrift';
import { eventTimestamp, parseTimestamp } from './eventTimestamp';

const RECEIVED = Date.parse('2026-12-02T10:00:00Z');
const HOUR = 3_600_000;

describe('parseTimestamp', () => {
  it.each([
    [1795252841.5, 1795252841500],
    ['1795252841.5', 1795252841500],
    ['2026-11-20T09:20:41.500000Z', Date.parse('2026-11-20T09:20:41.500Z')],
    // Without an offset, Sentry reads UTC.
    ['2026-11-20T09:20:41.5', Date.parse('2026-11-20T09:20:41.500Z')],
    ['2026-11-20T10:20:41+01:00', Date.parse('2026-11-20T09:20:41Z')],
  ])('reads %p', (value, expected) => {
    expect(parseTimestamp(value)).toBe(expected);
  });

  it.each([
    ['a 15 MiB string', '9'.repeat(15 * 1024 * 1024)],
    ['a word', 'yesterday'],
    ['an RFC 2822 date', 'Wed, 02 Dec 2026 10:00:00 GMT'],
    ['a negative number', -5],
    ['infinity', 1e309],
    ['an object', { seconds: 1 }],
    ['a date before 1970', '1969-12-31T23:59:59Z'],
  ])('refuses %s', (_name, value) => {
    expect(parseTimestamp(value)).toBeUndefined();
  });
});

describe('eventTimestamp', () => {
  it('takes an invalid or missing timestamp as the arrival time', () => {
    expect(eventTimestamp('9'.repeat(1000), { receivedAt: RECEIVED })).toEqual({
      ms: RECEIVED,
      adjustment: 'invalid',
    });
    expect(eventTimestamp(undefined, { receivedAt: RECEIVED })).toEqual({
      ms: RECEIVED,
    });
  });

  it('clamps a future timestamp, also after a drift correction', () => {
    expect(
      eventTimestamp((RECEIVED + 2 * 60_000) / 1000, { receivedAt: RECEIVED }),
    ).toEqual({ ms: RECEIVED, adjustment: 'future' });
    expect(
      eventTimestamp(RECEIVED / 1000, {
        receivedAt: RECEIVED,
        clockDriftMs: 10 * HOUR,
      }),
    ).toEqual({ ms: RECEIVED, adjustment: 'future' });
  });

  it('shifts a timestamp by the measured drift', () => {
    const sentAt = RECEIVED - 3 * HOUR; // the sender's clock is 3 hours behind
    const happened = sentAt - 5_000; // 5 s before it sent the event, by its clock
    const drift = clockDrift(new Date(sentAt).toISOString(), RECEIVED);
    expect(drift).toBe(3 * HOUR);
    expect(
      eventTimestamp(happened / 1000, {
        receivedAt: RECEIVED,
        clockDriftMs: drift,
      }),
    ).toEqual({ ms: RECEIVED - 5_000, adjustment: 'clock_drift' });
  });
});

describe('clockDrift', () => {
  it('ignores a drift under 55 minutes, as Relay does', () => {
    const sentAt = new Date(RECEIVED - MINIMUM_CLOCK_DRIFT_MS + 1000);
    expect(clockDrift(sentAt.toISOString(), RECEIVED)).toBe(0);
    const ahead = new Date(RECEIVED + 2 * HOUR).toISOString();
    expect(clockDrift(ahead, RECEIVED)).toBe(-2 * HOUR);
  });

  it.each([
    ['missing', undefined],
    ['not a date', 'soon'],
    ['a huge string', '2'.repeat(1024 * 1024)],
    ['an object', { at: 1 }],
    ['before 1970', '0001-01-01T00:00:00Z'],
  ])('makes no correction when sent_at is %s', (_name, sentAt) => {
    expect(clockDrift(sentAt, RECEIVED)).toBe(0);
  });

  it('cannot move an event past the arrival time, whatever sent_at claims', () => {
    for (const sentAt of ['1970-01-01T00:00:01Z', '9999-12-31T23:59:59Z']) {
      const drift = clockDrift(sentAt, RECEIVED);
      const { ms } = eventTimestamp(RECEIVED / 1000 - 60, {
        receivedAt: RECEIVED,
        clockDriftMs: drift,
      });
      expect(ms).toBeGreaterThan(0);
      expect(ms).toBeLessThanOrEqual(RECEIVED);
    }
  });
});
