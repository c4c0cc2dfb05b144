import { createHash } from 'crypto';
import type { SentryFrame } from './frames';

/** How many in-app frames the default fingerprint looks at. */
export const FINGERPRINT_FRAMES = 5;

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
// A quoted string starts and ends at a word boundary, so "can't" is no quote.
const QUOTED = /(^|[^\w])(["'`])(?:(?!\2).)*\2(?=$|[^\w])/g;
const HEX_PREFIXED = /\b0x[0-9a-f]+\b/gi;
// Runs of 8+ hex digits with at least one digit and one letter: object ids, hashes, trace ids.
const HEX_ID = /\b(?=[0-9a-f]*\d)(?=[0-9a-f]*[a-f])[0-9a-f]{8,}\b/gi;
const NUMBER = /\d+(?:\.\d+)?/g;

/**
 * Replaces the parts of an error message that vary between occurrences of the same error
 * (UUIDs, quoted strings, hex ids, numbers) with placeholders, so that "User 42 not found" and
 * "User 43 not found" group together.
 */
export function normalizeMessage(message: string): string {
  return message
    .replace(UUID, '<uuid>')
    .replace(QUOTED, '$1<str>')
    .replace(HEX_PREFIXED, '<hex>')
    .replace(HEX_ID, '<hex>')
    .replace(NUMBER, '<num>')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 1024);
}

/**
 * The default grouping: exception type, normalized message and the top in-app frames (module or
 * file, and function; never line numbers, which move with every edit above them).
 */
export function defaultFingerprint(input: {
  type?: string;
  message?: string;
  frames: SentryFrame[];
}): string {
  const inApp = input.frames.filter(frame => frame.inApp);
  const frames = (inApp.length > 0 ? inApp : input.frames).slice(
    0,
    FINGERPRINT_FRAMES,
  );
  return hash([
    'default',
    input.type ?? '',
    normalizeMessage(input.message ?? ''),
    ...frames.map(
      frame =>
        `${frame.module ?? frame.filename ?? '?'}|${frame.function ?? '?'}`,
    ),
  ]);
}

const DEFAULT_VARIABLE = /^\{\{\s*default\s*\}\}$/i;

/**
 * The group key of an event: the SDK's `fingerprint` when it sent one (with `{{ default }}`
 * standing for the default grouping), otherwise the default.
 */
export function eventFingerprint(
  sdkFingerprint: unknown,
  defaultValue: string,
): string {
  if (!Array.isArray(sdkFingerprint) || sdkFingerprint.length === 0)
    return defaultValue;
  const parts = sdkFingerprint.map(part =>
    DEFAULT_VARIABLE.test(String(part).trim()) ? defaultValue : String(part),
  );
  if (parts.length === 1 && parts[0] === defaultValue) return defaultValue;
  return hash(['custom', ...parts]);
}

function hash(parts: string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(parts))
    .digest('hex')
    .slice(0, 32);
}
