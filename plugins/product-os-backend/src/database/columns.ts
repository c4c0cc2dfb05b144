import { InputError } from '@backstage/errors';
import { createHash } from 'crypto';

/*
 * The columns that hold what arrives from outside, as the migrations define them, and how a
 * value is made to fit one. PostgreSQL rejects a NUL character in any text, a `varchar(n)` value
 * longer than n characters and an integer outside its type, where SQLite stores all of them: an
 * unfitted value is a 500 on one engine only (and a sender retrying forever). Every value an
 * ingest writes goes through its column here first, so both engines store the same row.
 *
 * Families:
 * - `key`: part of a unique key (an id, a fingerprint, a metric name). Over its length it keeps
 *   a prefix and a hash of the whole value, so two long ids never become one.
 * - `label`: a short display value in a `varchar` (an author, a status); cut to its length.
 * - `text`: free text in a `text` column (a title, a message, a URL); cut to TEXT_MAX_CHARS.
 * - `json`: a JSON document in a `text` column; NULs removed from every string and key, nesting
 *   deeper than JSON_MAX_DEPTH or a document over JSON_MAX_CHARS is a 400.
 * - `int` (PostgreSQL `integer`) and `time` (`bigint`, epoch ms): integers in range, else a 400.
 */

/** What knex's `table.string(name)` creates: `varchar(255)`. */
export const VARCHAR_DEFAULT = 255;
/** Free text is kept up to this many characters (UTF-16 code units). */
export const TEXT_MAX_CHARS = 8_192;
/** Deepest nesting of a stored JSON document. */
export const JSON_MAX_DEPTH = 64;
/** Longest stored JSON document, serialised (1 MiB of characters). */
export const JSON_MAX_CHARS = 1_048_576;
/** PostgreSQL `integer`. */
export const INT_MIN = -2_147_483_648;
export const INT_MAX = 2_147_483_647;

const HASH_CHARS = 64;
const NUL = String.fromCharCode(0);
const LONE_SURROGATE =
  /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export interface Column<In, Out> {
  /** Fits `value` to the column; `field` names it in a 400. */
  fit(value: In, field: string): Out;
  /** The column's type as the migrations create it, e.g. `varchar(255)`. */
  readonly type: string;
}

/**
 * Text both engines store alike: no NUL (PostgreSQL rejects it) and no lone surrogate (each
 * driver would encode it differently).
 */
export function cleanText(value: string): string {
  let text = value.includes(NUL) ? value.split(NUL).join('') : value;
  if (/[\uD800-\uDFFF]/.test(text))
    text = text.replace(LONE_SURROGATE, '\uFFFD');
  return text;
}

/** The first `max` code units of `text`, without splitting a surrogate pair. */
function cut(text: string, max: number): string {
  if (text.length <= max) return text;
  const code = text.charCodeAt(max - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? max - 1 : max);
}

function key(length = VARCHAR_DEFAULT): Column<string, string> {
  return {
    type: `varchar(${length})`,
    fit(value) {
      const text = cleanText(String(value));
      if (text.length <= length) return text;
      const hash = createHash('sha256').update(text).digest('hex');
      return `${cut(text, length - HASH_CHARS - 1)}~${hash}`;
    },
  };
}

function bounded(length: number, type: string): Column<string, string> {
  return { type, fit: value => cut(cleanText(String(value)), length) };
}

function int(
  min: number,
  max: number,
  what: string,
  type: string,
): Column<number, number> {
  return {
    type,
    fit(value, field) {
      const number = typeof value === 'number' ? value : Number(value);
      if (!Number.isFinite(number) || number < min || number > max) {
        throw new InputError(
          `${field} must be ${what} between ${min} and ${max}; got ${String(
            value,
          ).slice(0, 40)}`,
        );
      }
      // PostgreSQL refuses a fraction in an integer column; SQLite would keep it.
      return Math.round(number);
    },
  };
}

/*
 * What `JSON.stringify` writes for a NUL or a lone surrogate: it escapes both, in lower case
 * (`\u0000`, `\ud800`), and nothing else it writes matches, but for a string holding those six
 * characters themselves, which then takes the long way for nothing.
 */
const ESCAPE_TO_CLEAN = /\\u(?:0000|d[89a-f])/;

const json: Column<unknown, string> = {
  type: 'text',
  fit(value, field) {
    // Most documents need no cleaning: they are serialised as they are, without a cleaned copy
    // (which was most of an ingested event's fitting), when nothing in them asks for one.
    const plain = plainWithin(value, 0);
    let text = plain ? JSON.stringify(value) : undefined;
    if (!plain || (text !== undefined && ESCAPE_TO_CLEAN.test(text)))
      text = JSON.stringify(cleanJson(value, field, 0));
    if (text === undefined) return 'null';
    if (text.length > JSON_MAX_CHARS) {
      throw new InputError(
        `${field} is ${text.length} characters of JSON; at most ${JSON_MAX_CHARS} are stored`,
      );
    }
    return text;
  },
};

/**
 * A copy of `value` with NULs removed from its strings and keys, refused when it nests deeper
 * than {@link JSON_MAX_DEPTH}: `JSON.stringify` of a deep document overflows the stack, and
 * nothing a source stores needs more.
 */
function cleanJson(value: unknown, field: string, depth: number): unknown {
  if (typeof value === 'string') return cleanText(value);
  if (value === null || typeof value !== 'object') return value;
  if (depth >= JSON_MAX_DEPTH) {
    throw new InputError(
      `${field} nests deeper than ${JSON_MAX_DEPTH} levels; it is not stored`,
    );
  }
  const withJson = value as { toJSON?: () => unknown };
  if (typeof withJson.toJSON === 'function')
    return cleanJson(withJson.toJSON(), field, depth);
  if (Array.isArray(value))
    return value.map(item => cleanJson(item, field, depth + 1));
  const copy: Record<string, unknown> = {};
  for (const [name, item] of Object.entries(value)) {
    copy[cleanText(name)] = cleanJson(item, field, depth + 1);
  }
  return copy;
}

/**
 * Whether `value` is made only of plain objects, arrays and primitives, none nested deeper than
 * {@link cleanJson} allows: then serialising it as it is gives what serialising its cleaned copy
 * would, as long as no string or key needed cleaning. Anything else (a `toJSON`, a class, a boxed
 * value, a cycle) is for `cleanJson`, which decides as before.
 */
function plainWithin(value: unknown, depth: number): boolean {
  if (value === null || typeof value !== 'object') return true;
  if (depth >= JSON_MAX_DEPTH) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function')
    return false;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++)
      if (!plainWithin(value[i], depth + 1)) return false;
    return true;
  }
  const prototype = Object.getPrototypeOf(value);
  if (prototype !== Object.prototype && prototype !== null) return false;
  for (const name in value) {
    if (
      Object.prototype.hasOwnProperty.call(value, name) &&
      !plainWithin((value as Record<string, unknown>)[name], depth + 1)
    )
      return false;
  }
  return true;
}

/** The column families, as knex's schema builder names the types in the migrations. */
export const column = {
  /** `table.string(name, length)` holding (part of) a unique key. */
  key,
  /** `table.string(name, length)` holding a display value. */
  label: (length = VARCHAR_DEFAULT) => bounded(length, `varchar(${length})`),
  /** `table.text(name)` holding free text. */
  text: bounded(TEXT_MAX_CHARS, 'text'),
  /** `table.text(name)` holding JSON. */
  json,
  /** `table.integer(name)`. */
  int: int(INT_MIN, INT_MAX, 'an integer', 'integer'),
  /**
   * `table.bigInteger(name)` holding epoch milliseconds or a count: JavaScript's safe integers,
   * which both engines and `num()` keep exactly.
   */
  time: int(
    Number.MIN_SAFE_INTEGER,
    Number.MAX_SAFE_INTEGER,
    'a safe integer',
    'bigint',
  ),
};

/**
 * The ingested tables' columns that take values from outside, by table and column (the
 * migrations in `migrations/` are the source; `columns.test.ts` checks the two agree).
 */
export const columns = {
  error_groups: {
    entity_ref: column.key(),
    source: column.key(),
    fingerprint: column.key(512),
    title: column.text,
    culprit: column.text,
    level: column.label(),
    first_seen: column.time,
    last_seen: column.time,
    first_release: column.label(),
    resolved_at: column.time,
    top_frames: column.json,
    permalink: column.text,
    event_count: column.time,
  },
  error_buckets: {
    bucket_start: column.time,
    pulled: column.int,
  },
  error_events: {
    source: column.key(),
    event_id: column.key(),
    timestamp: column.time,
    release: column.label(),
    environment: column.label(),
    payload: column.json,
  },
  error_users: { user_key: column.key(64) },
  change_events: {
    entity_ref: column.key(),
    source: column.key(),
    kind: column.key(),
    external_id: column.key(),
    title: column.text,
    author: column.label(),
    sha: column.label(),
    number: column.int,
    environment: column.label(),
    status: column.label(),
    url: column.text,
    occurred_at: column.time,
    finished_at: column.time,
    files: column.json,
    first_commit_at: column.time,
  },
  incidents: {
    entity_ref: column.key(),
    source: column.key(),
    external_id: column.key(),
    title: column.text,
    urgency: column.label(),
    priority: column.label(),
    status: column.label(),
    created_at: column.time,
    acknowledged_at: column.time,
    resolved_at: column.time,
    assignees: column.json,
    url: column.text,
  },
  incident_events: {
    external_id: column.key(),
    type: column.label(),
    message: column.text,
    actor: column.label(),
    occurred_at: column.time,
  },
  metric_points: {
    entity_ref: column.key(),
    metric: column.key(),
    bucket_start: column.time,
    count: column.time,
    pulled_count: column.time,
    pulled_users: column.int,
  },
  metric_users: { user_key: column.key(64) },
  deliveries: { source: column.key(), delivery_id: column.key() },
  unmapped_deliveries: {
    source: column.key(),
    key: column.key(),
    first_seen: column.time,
    last_seen: column.time,
  },
} as const;
