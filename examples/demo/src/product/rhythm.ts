const HOUR_MS = 3_600_000;

/**
 * How busy the shop is at a moment, 1 at the evening peak: a web shop's day is quiet at night,
 * climbs through the morning and peaks after work (UTC stands in for the shop's time zone).
 * Weekends are a little busier.
 */
export function trafficLevel(at: number): number {
  const date = new Date(at);
  const hour = date.getUTCHours() + date.getUTCMinutes() / 60;
  const distance = Math.min(Math.abs(hour - 19), 24 - Math.abs(hour - 19));
  const daily =
    0.25 + 0.75 * Math.exp(-(distance * distance) / (2 * 4.5 * 4.5));
  const weekend = [0, 6].includes(date.getUTCDay()) ? 1.15 : 1;
  return daily * weekend;
}

/** Whether people ship at this time: weekdays, 09:00 to 18:00. */
export function isWorkingHour(at: number): boolean {
  const date = new Date(at);
  return (
    ![0, 6].includes(date.getUTCDay()) &&
    date.getUTCHours() >= 9 &&
    date.getUTCHours() < 18
  );
}

export function startOfHour(at: number): number {
  return Math.floor(at / HOUR_MS) * HOUR_MS;
}

export { HOUR_MS };
