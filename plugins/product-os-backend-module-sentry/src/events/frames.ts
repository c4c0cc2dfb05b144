import type { StackFrame } from '@internal/plugin-product-os-common';
import { MAX_LINE_NUMBER } from './bounds';
import {
  asArray,
  asLineNumber,
  asObject,
  asString,
  JsonObject,
} from './values';

/** A stack frame as an SDK sends it, reduced to what grouping and matching need. */
export interface SentryFrame {
  filename?: string;
  module?: string;
  function?: string;
  lineno?: number;
  inApp: boolean;
}

/** How many in-app frames an error group keeps, to match against changed files. */
export const TOP_FRAMES = 10;

/**
 * The stack of an event's main exception (the last of the chained `exception.values`, the one
 * thrown last), or of its crashed thread, or its top-level `stacktrace`. Sentry orders frames
 * oldest call first; this returns them most recent call first.
 */
export function eventFrames(event: JsonObject): SentryFrame[] {
  const exceptions = exceptionValues(event);
  const main = exceptions[exceptions.length - 1];
  const stacktrace =
    asObject(main?.stacktrace) ??
    threadStacktrace(event) ??
    asObject(event.stacktrace);
  return asArray(stacktrace?.frames)
    .map(asObject)
    .filter((frame): frame is JsonObject => frame !== undefined)
    .map(toFrame)
    .reverse();
}

/** The chained exceptions of an event, oldest first (`exception.values`, or a bare array). */
export function exceptionValues(event: JsonObject): JsonObject[] {
  const exception = event.exception;
  const values = Array.isArray(exception)
    ? exception
    : asArray(asObject(exception)?.values);
  return values
    .map(asObject)
    .filter((value): value is JsonObject => value !== undefined);
}

/**
 * The frames kept on an error group: the in-app frames nearest the top of the stack, or, when
 * the stack has none, the frames nearest the top, so that the group still points somewhere.
 */
export function topFrames(
  frames: SentryFrame[],
  limit = TOP_FRAMES,
): StackFrame[] {
  const inApp = frames.filter(frame => frame.inApp);
  const chosen = (inApp.length > 0 ? inApp : frames.slice(0, 5)).slice(
    0,
    limit,
  );
  return chosen.map(frame => ({
    filename: frame.filename ?? frame.module ?? '<unknown>',
    ...(frame.function !== undefined && { function: frame.function }),
    ...(frame.lineno !== undefined && { lineno: frame.lineno }),
    inApp: frame.inApp,
  }));
}

function threadStacktrace(event: JsonObject): JsonObject | undefined {
  const threads = asArray(asObject(event.threads)?.values ?? event.threads)
    .map(asObject)
    .filter((thread): thread is JsonObject => thread !== undefined);
  const thread =
    threads.find(t => t.crashed === true) ??
    threads.find(t => t.current === true) ??
    threads[0];
  return asObject(thread?.stacktrace);
}

function toFrame(frame: JsonObject): SentryFrame {
  const filename =
    asString(frame.filename, 512) ?? asString(frame.abs_path, 512);
  const lineno = asLineNumber(frame.lineno, MAX_LINE_NUMBER);
  return {
    filename,
    module: asString(frame.module, 512),
    function: asString(frame.function, 256),
    lineno,
    inApp:
      typeof frame.in_app === 'boolean' ? frame.in_app : looksInApp(filename),
  };
}

/** Frames an SDK did not mark: code under node_modules or the runtime's own is not the app's. */
function looksInApp(filename: string | undefined): boolean {
  if (!filename) return false;
  return !(
    filename.includes('/node_modules/') ||
    filename.startsWith('node:') ||
    filename.startsWith('internal/') ||
    filename === '<anonymous>' ||
    filename === 'native'
  );
}
