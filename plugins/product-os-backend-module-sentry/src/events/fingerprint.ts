import {
  defaultFingerprint as sharedDefaultFingerprint,
  fingerprintOf,
} from '@internal/plugin-product-os-node';
import type { SentryFrame } from './frames';

/** How many in-app frames the default fingerprint looks at. */
export const FINGERPRINT_FRAMES = 5;

/**
 * The default grouping: exception type, normalized message and the top in-app frames (all
 * frames when none is in-app), as every source groups (`@internal/plugin-product-os-node`).
 */
export function defaultFingerprint(input: {
  type?: string;
  message?: string;
  frames: SentryFrame[];
}): string {
  const inApp = input.frames.filter(frame => frame.inApp);
  return sharedDefaultFingerprint({
    type: input.type,
    message: input.message,
    frames: (inApp.length > 0 ? inApp : input.frames).slice(
      0,
      FINGERPRINT_FRAMES,
    ),
  });
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
  return fingerprintOf(['custom', ...parts]);
}
