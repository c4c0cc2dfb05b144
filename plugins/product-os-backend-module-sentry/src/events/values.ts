/*
 * Readers for untrusted JSON: an event is whatever the sender put in it, so every field is
 * checked for its type before use instead of trusting a declared shape.
 */
import { TRUNCATION_MARKER } from './bounds';

export type JsonObject = Record<string, unknown>;

export function asObject(value: unknown): JsonObject | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as JsonObject)
    : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/**
 * A non-empty string, cut to `max` characters without a marker. Grouping reads its inputs with
 * this, so the cut must stay exactly as it is: changing it would move existing events to new
 * groups. Fields that are shown or stored use {@link asText}.
 */
export function asString(value: unknown, max = 1024): string | undefined {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string' || value === '') return undefined;
  return value.length > max ? value.slice(0, max) : value;
}

/** A non-empty string of at most `max` characters, ending in `…` when it was cut. */
export function asText(value: unknown, max: number): string | undefined {
  const text = asString(value, Number.MAX_SAFE_INTEGER);
  return text === undefined ? undefined : truncate(text, max);
}

/**
 * `text` cut to at most `max` characters, the last of them {@link TRUNCATION_MARKER}, never
 * splitting a surrogate pair.
 */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = Math.max(0, max - TRUNCATION_MARKER.length);
  const last = text.charCodeAt(end - 1);
  if (last >= 0xd800 && last <= 0xdbff) end -= 1;
  return `${text.slice(0, end)}${TRUNCATION_MARKER}`;
}

/** A property of the object itself, never one inherited (`constructor`, `__proto__`, ...). */
export function ownValue(object: JsonObject, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(object, key)
    ? object[key]
    : undefined;
}

/** A line or column number, or undefined when it is not a plausible one. */
export function asLineNumber(value: unknown, max: number): number | undefined {
  return typeof value === 'number' &&
    Number.isSafeInteger(value) &&
    value >= 0 &&
    value <= max
    ? value
    : undefined;
}
