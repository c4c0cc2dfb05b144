import { createHash } from 'crypto';
import type { StackFrame } from '@internal/plugin-product-os-common';

const MAX_GIVEN_FINGERPRINT_LENGTH = 200;

/**
 * Takes out of an error message what changes from one occurrence to the next (ids, numbers,
 * times, addresses), so that `Order 1234 not found` and `Order 5678 not found` group together.
 */
export function normalizeMessage(message: string): string {
  return message
    .replace(
      /\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi,
      '<uuid>',
    )
    .replace(/\b\d{4}-\d{2}-\d{2}[T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?\b/g, '<time>')
    .replace(/\b[\w.+-]+@[\w-]+\.[\w.-]+\b/g, '<email>')
    .replace(/\b(0x)?[0-9a-f]{8,}\b/gi, token =>
      /\d/.test(token) ? '<hex>' : token,
    )
    .replace(/\b\d+(\.\d+)?(?=[a-z%]*\b)/gi, '<n>')
    .trim()
    .slice(0, 500);
}

/**
 * The fingerprint of a PostHog exception: the SDK's `$exception_fingerprint` when it set one,
 * otherwise a hash of the exception type, its normalized message and the file and function of
 * its top in-app frames (line numbers are left out, so an edit elsewhere in a file does not
 * split the group).
 */
export function fingerprintException(options: {
  type: string;
  message: string;
  topFrames: StackFrame[];
  givenFingerprint?: unknown;
}): string {
  const given = options.givenFingerprint;
  if (
    typeof given === 'string' &&
    given.trim() &&
    given.length <= MAX_GIVEN_FINGERPRINT_LENGTH
  ) {
    return `custom:${given.trim()}`;
  }
  const parts = [
    options.type,
    normalizeMessage(options.message),
    ...options.topFrames.map(
      frame => `${frame.filename}:${frame.function ?? '?'}`,
    ),
  ];
  return createHash('sha256')
    .update(JSON.stringify(parts))
    .digest('hex')
    .slice(0, 40);
}
