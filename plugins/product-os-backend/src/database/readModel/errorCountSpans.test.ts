import { DAY_MS, HOUR_MS } from '../../time';
import { errorCountSpans } from './errorCountSpans';

const D = Date.UTC(2026, 10, 20);

describe('errorCountSpans', () => {
  it('reads the whole days of a window from the rollup and its edges hour by hour', () => {
    expect(errorCountSpans(D - 9 * HOUR_MS, D + 2 * DAY_MS + HOUR_MS)).toEqual([
      {
        table: 'error_buckets',
        start: 'bucket_start',
        from: D - 9 * HOUR_MS,
        to: D,
      },
      { table: 'error_days', start: 'day_start', from: D, to: D + 2 * DAY_MS },
      {
        table: 'error_buckets',
        start: 'bucket_start',
        from: D + 2 * DAY_MS,
        to: D + 2 * DAY_MS + HOUR_MS,
      },
    ]);
  });

  it('reads a window of whole days from the rollup alone', () => {
    expect(errorCountSpans(D, D + 7 * DAY_MS)).toEqual([
      { table: 'error_days', start: 'day_start', from: D, to: D + 7 * DAY_MS },
    ]);
  });

  it('reads a window without a whole day in it hour by hour', () => {
    const from = D + 5 * HOUR_MS;
    const to = D + DAY_MS + 4 * HOUR_MS;
    expect(errorCountSpans(from, to)).toEqual([
      { table: 'error_buckets', start: 'bucket_start', from, to },
    ]);
  });

  it('takes a day from the rollup only when the window ends after its last hour', () => {
    // Bounds off the hour: the day starting at D + 1 day is not whole before D + 2 days.
    const from = D - 1;
    const to = D + 2 * DAY_MS - 1;
    expect(errorCountSpans(from, to).map(s => [s.table, s.from, s.to])).toEqual(
      [
        ['error_buckets', from, D],
        ['error_days', D, D + DAY_MS],
        ['error_buckets', D + DAY_MS, to],
      ],
    );
  });
});
