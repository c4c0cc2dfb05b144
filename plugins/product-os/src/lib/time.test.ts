import {
  formatDateTime,
  formatRelative,
  formatSpan,
  formatTick,
  formatUtc,
  timeZoneLabel,
} from './time';

const LATE_EVENING_UTC = Date.UTC(2025, 11, 1, 23, 37);
const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe('the one time rule', () => {
  it("shows a moment in the reader's zone and names the zone", () => {
    // 23:37 UTC is already the next day in Berlin: the date follows the zone shown.
    expect(
      formatDateTime(LATE_EVENING_UTC, {
        timeZone: 'Europe/Berlin',
        locale: 'en-US',
      }),
    ).toBe('Dec 2, 12:37 AM GMT+1');
    expect(
      formatDateTime(LATE_EVENING_UTC, {
        timeZone: 'America/Los_Angeles',
        locale: 'en-US',
      }),
    ).toBe('Dec 1, 3:37 PM PST');
    expect(
      timeZoneLabel(LATE_EVENING_UTC, {
        timeZone: 'Asia/Kolkata',
        locale: 'en-US',
      }),
    ).toBe('GMT+5:30');
  });

  it('gives the UTC time for the hover, whatever the zone', () => {
    expect(formatUtc(LATE_EVENING_UTC)).toBe('2025-12-01 23:37 UTC');
  });

  it('dates hourly ticks when the axis spans days, not when it spans hours', () => {
    const zone = { timeZone: 'Europe/Berlin', locale: 'en-US' };
    expect(
      formatTick(LATE_EVENING_UTC, { spanMs: 7 * DAY, hourly: true }, zone),
    ).toBe('Dec 2, 00:37');
    expect(
      formatTick(LATE_EVENING_UTC, { spanMs: 12 * HOUR, hourly: true }, zone),
    ).toBe('00:37');
    expect(
      formatTick(LATE_EVENING_UTC, { spanMs: 30 * DAY, hourly: false }, zone),
    ).toBe('Dec 2');
  });

  it('says how long ago, and lengths of time, as people say them', () => {
    const now = LATE_EVENING_UTC;
    expect(formatRelative(now - 20_000, now)).toBe('just now');
    expect(formatRelative(now - 4 * 60_000, now)).toBe('4 min ago');
    expect(formatRelative(now - 3 * HOUR - 20 * 60_000, now)).toBe(
      '3 h 20 min ago',
    );
    expect(formatRelative(now - 2 * DAY, now)).toBe('2 days ago');
    expect(formatRelative(now + 5 * 60_000, now)).toBe('in 5 min');
    expect(formatSpan(30_000)).toBe('less than a minute');
    expect(formatSpan(DAY)).toBe('1 day');
  });
});
