import type { StackFrame } from '@internal/plugin-product-os-common';
import { defaultFingerprint } from '@internal/plugin-product-os-node';

const MAX_GIVEN_FINGERPRINT_LENGTH = 200;

/**
 * The fingerprint of a PostHog exception: the SDK's `$exception_fingerprint` when it set one,
 * otherwise the default grouping every source shares (`@internal/plugin-product-os-node`): the
 * exception type, its normalized message and the file and function of its top in-app frames.
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
  return defaultFingerprint({
    type: options.type,
    message: options.message,
    frames: options.topFrames,
  });
}
