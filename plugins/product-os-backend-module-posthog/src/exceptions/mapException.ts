import type { StackFrame } from '@internal/plugin-product-os-common';
import type { ErrorEventInput } from '@internal/plugin-product-os-node';
import { createHash } from 'crypto';
import type { CapturedEvent } from '../capture/normalizeEvents';
import { isObject } from '../capture/parseCaptureRequest';
import { fingerprintException } from './fingerprint';

const TOP_FRAMES = 5;
const LEVELS = ['fatal', 'error', 'warning', 'log', 'info', 'debug'];

/**
 * Maps a `$exception` event to an error event, grouped like a Sentry error. The exception is
 * the first entry of `$exception_list` (the one thrown; later entries are its causes), or the
 * older `$exception_type` / `$exception_message` properties.
 *
 * Only the exception itself is kept in the sample: type, message and top in-app frames. No
 * other property and no distinct id leaves this function.
 */
export function mapException(
  event: CapturedEvent,
  userKey: string | undefined,
): Omit<ErrorEventInput, 'entityRef'> {
  const props = event.properties;
  const list = Array.isArray(props.$exception_list)
    ? props.$exception_list.filter(isObject)
    : [];
  const primary = list[0] ?? {};
  const type = text(primary.type) ?? text(props.$exception_type) ?? 'Error';
  const message = text(primary.value) ?? text(props.$exception_message) ?? '';
  const topFrames = topInAppFrames(primary.stacktrace);
  const level = text(props.$exception_level);

  return {
    source: 'posthog',
    fingerprint: fingerprintException({
      type,
      message,
      topFrames,
      givenFingerprint: props.$exception_fingerprint,
    }),
    eventId: event.uuid ?? hashOf(event),
    title: truncate(message ? `${type}: ${message}` : type, 500),
    culprit: topFrames[0] ? culpritOf(topFrames[0]) : undefined,
    level: level && LEVELS.includes(level) ? level : 'error',
    timestamp: event.timestamp,
    release: limited(text(props.release) ?? text(props.$app_version), 200),
    environment: limited(
      text(props.environment) ?? text(props.$environment),
      100,
    ),
    topFrames,
    userKey,
    payload: {
      exception: list.slice(0, 5).map(entry => ({
        type: text(entry.type),
        value: limited(text(entry.value), 1000),
      })),
      topFrames,
      lib: text(props.$lib),
      libVersion: text(props.$lib_version),
    },
  };
}

/** The in-app frames nearest the top of the stack, most recent call first. */
function topInAppFrames(stacktrace: unknown): StackFrame[] {
  if (!isObject(stacktrace) || !Array.isArray(stacktrace.frames)) return [];
  // PostHog orders frames like Sentry: oldest call first.
  return [...stacktrace.frames]
    .reverse()
    .filter(isObject)
    .filter(frame => frame.in_app === true)
    .slice(0, TOP_FRAMES)
    .map(frame => ({
      filename: truncate(
        (
          text(frame.filename) ??
          text(frame.abs_path) ??
          text(frame.module) ??
          '<unknown>'
        ).replace(/^file:\/\//, ''),
        500,
      ),
      function: limited(text(frame.function), 200),
      lineno: typeof frame.lineno === 'number' ? frame.lineno : undefined,
      inApp: true,
    }));
}

function culpritOf(frame: StackFrame): string {
  return frame.function
    ? `${frame.function} (${frame.filename})`
    : frame.filename;
}

function hashOf(event: CapturedEvent): string {
  return createHash('sha256')
    .update(
      JSON.stringify([
        event.name,
        event.timestamp,
        event.distinctId,
        event.properties,
      ]),
    )
    .digest('hex');
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value : undefined;
}

function limited(value: string | undefined, max: number): string | undefined {
  return value === undefined ? undefined : truncate(value, max);
}

function truncate(value: string, max: number): string {
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}
