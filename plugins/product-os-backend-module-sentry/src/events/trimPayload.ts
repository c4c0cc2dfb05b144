import {
  COUNT_LIMITS,
  MAX_LINE_NUMBER,
  MAX_SAMPLE_BYTES,
  TEXT_LIMITS,
} from './bounds';
import type { TimestampAdjustment } from './eventTimestamp';
import { formattedMessage } from './formatLogentry';
import { exceptionValues } from './frames';
import {
  asArray,
  asLineNumber,
  asObject,
  asString,
  JsonObject,
  ownValue,
  truncate,
} from './values';

const KEPT_CONTEXTS = ['runtime', 'os', 'trace', 'app'];

const TOP_LEVEL_TEXT: [string, number][] = [
  ['event_id', TEXT_LIMITS.eventId],
  ['level', TEXT_LIMITS.level],
  ['platform', TEXT_LIMITS.platform],
  ['logger', TEXT_LIMITS.logger],
  ['transaction', TEXT_LIMITS.transaction],
  ['release', TEXT_LIMITS.release],
  ['dist', TEXT_LIMITS.dist],
  ['environment', TEXT_LIMITS.environment],
  ['server_name', TEXT_LIMITS.serverName],
  ['culprit', TEXT_LIMITS.culprit],
  ['title', TEXT_LIMITS.title],
];

/** The paths of what was cut, listed in the sample's `_meta.trimmed`. */
class TrimmedPaths {
  readonly paths: string[] = [];

  note(path: string) {
    if (
      this.paths.length < COUNT_LIMITS.trimmedPaths &&
      !this.paths.includes(path)
    )
      this.paths.push(path);
  }

  text(value: unknown, max: number, path: string): string | undefined {
    const text = asString(value, Number.MAX_SAFE_INTEGER);
    if (text === undefined || text.length <= max) return text;
    this.note(path);
    return truncate(text, max);
  }
}

/**
 * The part of an event kept in the group's sample: what it was, where it was thrown and in which
 * release, but nothing about who it happened to. `user`, `request` (headers, cookies, body),
 * `breadcrumbs` and `extra` are dropped, as are tags about the user. Every field kept has a bound
 * (`bounds.ts`); what was cut is listed in `_meta.trimmed`, and the whole is at most
 * {@link MAX_SAMPLE_BYTES} of JSON (see {@link capSample}).
 */
export function trimPayload(
  event: JsonObject,
  options: { timestampMs?: number; timestamp?: TimestampAdjustment } = {},
): JsonObject {
  const cut = new TrimmedPaths();
  const trimmed: JsonObject = {};
  for (const [field, max] of TOP_LEVEL_TEXT) {
    const value = cut.text(event[field], max, field);
    if (value !== undefined) trimmed[field] = value;
  }
  if (options.timestampMs !== undefined)
    trimmed.timestamp = options.timestampMs / 1000;

  const message = formattedMessage(event);
  if (message)
    trimmed.message = cut.text(message, TEXT_LIMITS.message, 'message');

  const exceptions = exceptionValues(event);
  if (exceptions.length > COUNT_LIMITS.exceptions) cut.note('exception.values');
  if (exceptions.length > 0) {
    trimmed.exception = {
      values: exceptions
        .slice(-COUNT_LIMITS.exceptions)
        .map(exception => trimException(exception, cut)),
    };
  }

  const tags = trimTags(event.tags, cut);
  if (Object.keys(tags).length > 0) trimmed.tags = tags;

  const contexts = trimContexts(event.contexts, cut);
  if (contexts) trimmed.contexts = contexts;

  const sdk = asObject(event.sdk);
  if (sdk)
    trimmed.sdk = {
      name: cut.text(sdk.name, TEXT_LIMITS.sdkName, 'sdk.name'),
      version: cut.text(sdk.version, TEXT_LIMITS.sdkVersion, 'sdk.version'),
    };
  if (Array.isArray(event.fingerprint)) {
    if (event.fingerprint.length > COUNT_LIMITS.fingerprintParts)
      cut.note('fingerprint');
    trimmed.fingerprint = event.fingerprint
      .slice(0, COUNT_LIMITS.fingerprintParts)
      .filter(part => typeof part === 'string' || typeof part === 'number')
      .map(part =>
        cut.text(String(part), TEXT_LIMITS.fingerprintPart, 'fingerprint'),
      );
  }
  const meta: JsonObject = {};
  if (options.timestamp) meta.timestamp = options.timestamp;
  return capSample(trimmed, meta, cut);
}

function trimException(exception: JsonObject, cut: TrimmedPaths): JsonObject {
  const path = 'exception.values';
  const mechanism = asObject(exception.mechanism);
  const stack = asArray(asObject(exception.stacktrace)?.frames);
  if (stack.length > COUNT_LIMITS.frames) cut.note(`${path}.stacktrace.frames`);
  return {
    type: cut.text(exception.type, TEXT_LIMITS.exceptionType, `${path}.type`),
    value: cut.text(
      exception.value,
      TEXT_LIMITS.exceptionValue,
      `${path}.value`,
    ),
    module: cut.text(
      exception.module,
      TEXT_LIMITS.exceptionModule,
      `${path}.module`,
    ),
    ...(mechanism && { mechanism: trimMechanism(mechanism, cut) }),
    stacktrace: {
      frames: stack
        .slice(-COUNT_LIMITS.frames)
        .map(asObject)
        .filter((frame): frame is JsonObject => frame !== undefined)
        .map(frame => trimFrame(frame, cut)),
    },
  };
}

/** Only the mechanism's small, known fields, each of its type; `data` and the rest are dropped. */
function trimMechanism(mechanism: JsonObject, cut: TrimmedPaths): JsonObject {
  const path = 'exception.values.mechanism';
  const flag = (value: unknown) =>
    typeof value === 'boolean' ? value : undefined;
  return {
    type: cut.text(mechanism.type, TEXT_LIMITS.mechanismType, `${path}.type`),
    handled: flag(mechanism.handled),
    synthetic: flag(mechanism.synthetic),
    is_exception_group: flag(mechanism.is_exception_group),
    source: cut.text(
      mechanism.source,
      TEXT_LIMITS.mechanismSource,
      `${path}.source`,
    ),
    exception_id: asLineNumber(mechanism.exception_id, MAX_LINE_NUMBER),
    parent_id: asLineNumber(mechanism.parent_id, MAX_LINE_NUMBER),
  };
}

function trimFrame(frame: JsonObject, cut: TrimmedPaths): JsonObject {
  const path = 'exception.values.stacktrace.frames';
  return {
    filename: cut.text(
      frame.filename,
      TEXT_LIMITS.frameFilename,
      `${path}.filename`,
    ),
    module: cut.text(frame.module, TEXT_LIMITS.frameModule, `${path}.module`),
    function: cut.text(
      frame.function,
      TEXT_LIMITS.frameFunction,
      `${path}.function`,
    ),
    lineno: asLineNumber(frame.lineno, MAX_LINE_NUMBER),
    colno: asLineNumber(frame.colno, MAX_LINE_NUMBER),
    in_app: typeof frame.in_app === 'boolean' ? frame.in_app : undefined,
    context_line: cut.text(
      frame.context_line,
      TEXT_LIMITS.frameContextLine,
      `${path}.context_line`,
    ),
  };
}

/**
 * Up to {@link COUNT_LIMITS.tags} tags with scalar values, without tags about the user. Tags come
 * as an object or, after Sentry's normalization (webhooks), as `[key, value]` pairs. Reading stops
 * once enough are kept, so a map of 40,000 keys costs no more than one of 50.
 */
function trimTags(tags: unknown, cut: TrimmedPaths): Record<string, string> {
  const kept: Record<string, string> = {};
  let count = 0;
  const add = (key: unknown, value: unknown): boolean => {
    if (count >= COUNT_LIMITS.tags) {
      cut.note('tags');
      return false;
    }
    if (typeof key !== 'string' || key === '' || /^user(\.|$)/i.test(key))
      return true;
    if (!['string', 'number', 'boolean'].includes(typeof value)) return true;
    const name = cut.text(key, TEXT_LIMITS.tagKey, 'tags');
    if (name === undefined || Object.prototype.hasOwnProperty.call(kept, name))
      return true;
    kept[name] = cut.text(String(value), TEXT_LIMITS.tagValue, 'tags') ?? '';
    count += 1;
    return true;
  };
  if (Array.isArray(tags)) {
    for (const pair of tags) {
      if (Array.isArray(pair) && pair.length === 2 && !add(pair[0], pair[1]))
        break;
    }
    return kept;
  }
  const object = asObject(tags);
  if (!object) return kept;
  for (const key in object) {
    if (
      Object.prototype.hasOwnProperty.call(object, key) &&
      !add(key, object[key])
    )
      break;
  }
  return kept;
}

/**
 * The `runtime`, `os`, `trace` and `app` contexts, each with up to
 * {@link COUNT_LIMITS.contextKeys} scalar values (nested values are dropped: depth 1).
 */
function trimContexts(
  contexts: unknown,
  cut: TrimmedPaths,
): JsonObject | undefined {
  const object = asObject(contexts);
  if (!object) return undefined;
  const kept: JsonObject = {};
  for (const name of KEPT_CONTEXTS) {
    const context = asObject(ownValue(object, name));
    if (!context) continue;
    const values: JsonObject = {};
    let count = 0;
    for (const key in context) {
      if (!Object.prototype.hasOwnProperty.call(context, key)) continue;
      const value = context[key];
      if (value === null || typeof value === 'object') continue;
      if (count >= COUNT_LIMITS.contextKeys) {
        cut.note(`contexts.${name}`);
        break;
      }
      if (key.length > TEXT_LIMITS.contextKey) {
        cut.note(`contexts.${name}`);
        continue;
      }
      if (typeof value === 'string') {
        values[key] = cut.text(
          value,
          TEXT_LIMITS.contextValue,
          `contexts.${name}`,
        );
      } else if (
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value))
      ) {
        values[key] = value;
      } else {
        continue;
      }
      count += 1;
    }
    kept[name] = values;
  }
  return Object.keys(kept).length > 0 ? kept : undefined;
}

/**
 * Steps that make a sample smaller, in order, until it fits {@link MAX_SAMPLE_BYTES}. The last
 * keeps only the top-level fields and the main exception's type and value, whose bounds add up to
 * well under the cap even when every character takes six bytes of JSON (`\u0001`).
 */
const REDUCTIONS: [string, (sample: JsonObject) => void][] = [
  [
    'exception.values.stacktrace.frames.context_line',
    sample =>
      eachException(sample, exception => {
        for (const frame of frames(exception)) delete frame.context_line;
      }),
  ],
  [
    'exception.values.stacktrace.frames',
    sample =>
      eachException(sample, exception => {
        (exception.stacktrace as JsonObject).frames =
          frames(exception).slice(-10);
      }),
  ],
  [
    'exception.values',
    sample => {
      const exception = asObject(sample.exception);
      if (exception) exception.values = asArray(exception.values).slice(-1);
    },
  ],
  ['contexts', sample => delete sample.contexts],
  ['tags', sample => delete sample.tags],
  ['fingerprint', sample => delete sample.fingerprint],
  [
    'exception.values.stacktrace',
    sample =>
      eachException(sample, exception => {
        delete exception.stacktrace;
        delete exception.mechanism;
        delete exception.module;
      }),
  ],
];

/**
 * Enforces the hard cap on the sample's serialised size, after the per-field bounds: a sample that
 * is still over {@link MAX_SAMPLE_BYTES} loses parts in the order of {@link REDUCTIONS}, each
 * listed in `_meta.trimmed` as `sample: <path>`.
 */
export function capSample(
  sample: JsonObject,
  meta: JsonObject,
  cut: { paths: string[]; note(path: string): void },
): JsonObject {
  const withMeta = () => {
    const result = { ...sample };
    const fullMeta = {
      ...meta,
      ...(cut.paths.length > 0 && { trimmed: [...cut.paths] }),
    };
    if (Object.keys(fullMeta).length > 0) result._meta = fullMeta;
    return result;
  };
  // Serialised once per reduction, not once more to return it: this runs for every event.
  let result = withMeta();
  const fits = () =>
    Buffer.byteLength(JSON.stringify(result)) <= MAX_SAMPLE_BYTES;
  for (const [path, reduce] of REDUCTIONS) {
    if (fits()) return result;
    reduce(sample);
    cut.note(`sample: ${path}`);
    result = withMeta();
  }
  if (fits()) return result;
  // Unreachable with the bounds of bounds.ts; kept so that the cap holds whatever they become.
  cut.note('sample: everything but event_id and timestamp');
  return {
    event_id: sample.event_id,
    timestamp: sample.timestamp,
    _meta: { ...meta, trimmed: [...cut.paths] },
  };
}

function eachException(
  sample: JsonObject,
  change: (exception: JsonObject) => void,
) {
  for (const exception of asArray(asObject(sample.exception)?.values)) {
    const object = asObject(exception);
    if (object) change(object);
  }
}

function frames(exception: JsonObject): JsonObject[] {
  return asArray(asObject(exception.stacktrace)?.frames)
    .map(asObject)
    .filter((frame): frame is JsonObject => frame !== undefined);
}

/** The text of a message event: the template (`logentry.message`) rather than its formatting. */
export function messageText(event: JsonObject): string | undefined {
  const logentry = asObject(event.logentry) ?? asObject(event.message);
  return (
    asString(logentry?.message, 8192) ??
    asString(logentry?.formatted, 8192) ??
    asString(event.message, 8192)
  );
}
