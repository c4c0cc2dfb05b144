import { exceptionValues } from './frames';
import { asArray, asObject, asString, JsonObject } from './values';

const MAX_FRAMES = 30;
const MAX_TAGS = 50;
const KEPT_CONTEXTS = ['runtime', 'os', 'trace', 'app'];

/**
 * The part of an event kept in the group's sample: what it was, where it was thrown and in which
 * release, but nothing about who it happened to. `user`, `request` (headers, cookies, body),
 * `breadcrumbs` and `extra` are dropped, as are tags about the user; strings and stacks are cut.
 */
export function trimPayload(event: JsonObject): JsonObject {
  const trimmed: JsonObject = {};
  for (const field of [
    'event_id',
    'level',
    'platform',
    'logger',
    'transaction',
    'release',
    'dist',
    'environment',
    'server_name',
    'culprit',
    'title',
  ]) {
    const value = asString(event[field], 512);
    if (value !== undefined) trimmed[field] = value;
  }
  if (event.timestamp !== undefined) trimmed.timestamp = event.timestamp;
  const message = messageText(event);
  if (message) trimmed.message = message.slice(0, 2048);

  const exceptions = exceptionValues(event);
  if (exceptions.length > 0) {
    trimmed.exception = {
      values: exceptions.slice(-5).map(exception => {
        const mechanism = asObject(exception.mechanism);
        return {
          type: asString(exception.type, 256),
          value: asString(exception.value, 2048),
          module: asString(exception.module, 256),
          ...(mechanism && {
            mechanism: {
              type: asString(mechanism.type, 64),
              handled: mechanism.handled,
            },
          }),
          stacktrace: {
            frames: asArray(asObject(exception.stacktrace)?.frames)
              .slice(-MAX_FRAMES)
              .map(asObject)
              .filter((frame): frame is JsonObject => frame !== undefined)
              .map(frame => ({
                filename: asString(frame.filename, 512),
                module: asString(frame.module, 256),
                function: asString(frame.function, 256),
                lineno:
                  typeof frame.lineno === 'number' ? frame.lineno : undefined,
                colno:
                  typeof frame.colno === 'number' ? frame.colno : undefined,
                in_app:
                  typeof frame.in_app === 'boolean' ? frame.in_app : undefined,
                context_line: asString(frame.context_line, 256),
              })),
          },
        };
      }),
    };
  }

  const tags = tagEntries(event.tags)
    .filter(([key]) => !/^user(\.|$)/i.test(key))
    .slice(0, MAX_TAGS);
  if (tags.length > 0) trimmed.tags = Object.fromEntries(tags);

  const contexts = asObject(event.contexts);
  if (contexts) {
    const kept: JsonObject = {};
    for (const name of KEPT_CONTEXTS) {
      const context = asObject(contexts[name]);
      if (context) {
        kept[name] = Object.fromEntries(
          Object.entries(context)
            .filter(([, value]) => typeof value !== 'object')
            .map(([key, value]) => [
              key,
              typeof value === 'string' ? value.slice(0, 256) : value,
            ]),
        );
      }
    }
    if (Object.keys(kept).length > 0) trimmed.contexts = kept;
  }

  const sdk = asObject(event.sdk);
  if (sdk)
    trimmed.sdk = {
      name: asString(sdk.name, 128),
      version: asString(sdk.version, 64),
    };
  if (Array.isArray(event.fingerprint)) {
    trimmed.fingerprint = event.fingerprint
      .slice(0, 10)
      .map(part => String(part).slice(0, 256));
  }
  return trimmed;
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

/** Tags come as an object or, after Sentry's normalization (webhooks), as `[key, value]` pairs. */
function tagEntries(tags: unknown): [string, string][] {
  if (Array.isArray(tags)) {
    return tags
      .filter(
        (pair): pair is unknown[] => Array.isArray(pair) && pair.length === 2,
      )
      .map(([key, value]) => [
        String(key).slice(0, 128),
        String(value).slice(0, 256),
      ]);
  }
  return Object.entries(asObject(tags) ?? {}).map(([key, value]) => [
    key.slice(0, 128),
    String(value).slice(0, 256),
  ]);
}
