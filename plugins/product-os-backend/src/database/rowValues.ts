/*
 * Column values read back from either engine. PostgreSQL returns bigint columns as strings and
 * SQLite returns numbers, so every numeric column goes through `num`; each store's row mapper
 * is built from these.
 */

export type Row = Record<string, any>;

export function num(value: unknown): number {
  return typeof value === 'number' ? value : Number(value);
}

export function optNum(value: unknown): number | undefined {
  return value === null || value === undefined ? undefined : num(value);
}

export function iso(ms: unknown): string {
  return new Date(num(ms)).toISOString();
}

export function optIso(ms: unknown): string | undefined {
  return ms === null || ms === undefined ? undefined : iso(ms);
}

export function opt<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

export function parseJson<T>(text: unknown, fallback: T): T {
  if (typeof text !== 'string' || text === '') return fallback;
  try {
    return JSON.parse(text) as T;
  } catch {
    return fallback;
  }
}
