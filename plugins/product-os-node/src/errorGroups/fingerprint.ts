import { createHash } from 'crypto';
import { normalizeMessage } from './normalizeMessage';

/** A stack frame as far as grouping goes: where it is, never its line. @public */
export interface FingerprintFrame {
  module?: string;
  filename?: string;
  function?: string;
}

/**
 * The default grouping of an error: its type, its normalized message and the given frames
 * (module or file, and function; never line numbers, which move with every edit above them).
 * The caller chooses the frames: the top in-app ones, most recent call first.
 *
 * @public
 */
export function defaultFingerprint(input: {
  type?: string;
  message?: string;
  frames: FingerprintFrame[];
}): string {
  return fingerprintOf([
    'default',
    input.type ?? '',
    normalizeMessage(input.message ?? ''),
    ...input.frames.map(
      frame =>
        `${frame.module ?? frame.filename ?? '?'}|${frame.function ?? '?'}`,
    ),
  ]);
}

/**
 * The fingerprint of a grouping given as parts (the SDK's own fingerprint, the default's parts):
 * a hash short enough for the column, the same for the same parts from any source.
 *
 * @public
 */
export function fingerprintOf(parts: string[]): string {
  return createHash('sha256')
    .update(JSON.stringify(parts))
    .digest('hex')
    .slice(0, 32);
}
