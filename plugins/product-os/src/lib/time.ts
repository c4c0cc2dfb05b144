/*
 * The one rule for showing a time: in the reader's time zone, with the zone named ("8:45 AM
 * GMT+1"), the UTC time on hover (see LocalTime), a date wherever a stretch of time spans days,
 * and a relative time ("4 min ago", "4 min before") where it saves the reader arithmetic. Every
 * time the plugin shows goes through here.
 */

import { formatSpan } from '@internal/plugin-product-os-common';

/** Where and how to show times; tests pin both, the browser decides otherwise. */
export interface TimeZoneOptions {
  /** An IANA zone; the browser's when absent. */
  timeZone?: string;
  locale?: string;
}

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

function format(
  time: number | string,
  parts: Intl.DateTimeFormatOptions,
  options: TimeZoneOptions = {},
): string {
  const date = typeof time === 'number' ? new Date(time) : new Date(time);
  return new Intl.DateTimeFormat(options.locale, {
    ...parts,
    timeZone: options.timeZone,
  }).format(date);
}

/** "Dec 2, 8:45 AM GMT+1": a moment, in the reader's zone, naming the zone. */
export function formatDateTime(
  time: number | string,
  options?: TimeZoneOptions,
): string {
  return format(
    time,
    {
      month: 'short',
      day: 'numeric',
      hour: 'numeric',
      minute: '2-digit',
      timeZoneName: 'short',
    },
    options,
  );
}

/** "2025-03-12 08:40 UTC", shown on hover and for readers comparing with logs. */
export function formatUtc(time: number | string): string {
  const iso = new Date(time).toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`;
}

/** "GMT+1", "PST": the reader's zone as the times on the page name it. */
export function timeZoneLabel(
  at: number = Date.now(),
  options?: TimeZoneOptions,
): string {
  const parts = new Intl.DateTimeFormat(options?.locale, {
    timeZoneName: 'short',
    timeZone: options?.timeZone,
  }).formatToParts(new Date(at));
  return parts.find(part => part.type === 'timeZoneName')?.value ?? '';
}

// A length of time as people say it; shared with the backend's notifications.
export { formatSpan };

/** "just now", "4 min ago", "in 3 h": a moment against `now`. */
export function formatRelative(time: number | string, now: number): string {
  const ms = now - new Date(time).getTime();
  if (Math.abs(ms) < MINUTE_MS) return 'just now';
  return ms > 0 ? `${formatSpan(ms)} ago` : `in ${formatSpan(ms)}`;
}

/**
 * An axis tick. Within a day the clock is enough ("14:00"); hourly ticks of a stretch that
 * spans days carry their date ("Dec 2, 14:00"), so two ticks never read the same; daily ticks
 * are dates ("Dec 2").
 */
export function formatTick(
  time: number,
  scale: { spanMs: number; hourly: boolean },
  options?: TimeZoneOptions,
): string {
  if (!scale.hourly)
    return format(time, { month: 'short', day: 'numeric' }, options);
  const clock: Intl.DateTimeFormatOptions = {
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  };
  return scale.spanMs <= DAY_MS
    ? format(time, clock, options)
    : format(time, { month: 'short', day: 'numeric', ...clock }, options);
}
