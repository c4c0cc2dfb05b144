import { randomUUID } from 'crypto';

/**
 * What PostHog answers when a project has no feature flags. posthog-js asks for its remote
 * config (`/array/<key>/config.js`, then `/array/<key>/config`) and, unless that config says
 * `hasFeatureFlags: false`, for flags (`/flags/?v=2`; older SDKs `/decide/`). Product OS keeps
 * no flags, so it answers as such a project would, and the SDK logs no error.
 */

/**
 * The remote config: gzip is accepted (so posthog-js compresses what it sends), there are no
 * flags, and none of the features Product OS does not store (session recordings, heatmaps,
 * product tours, site apps) is switched on. Keys left out leave the SDK's own settings alone
 * (e.g. `capture_exceptions` in `posthog.init`). `surveys` is left out on purpose: with any
 * value, even `false`, posthog-js loads its surveys script from the asset host, which is PostHog's
 * CDN and not served here; without it, the SDK does not load surveys at all.
 */
export function remoteConfigFor(projectKey: string): Record<string, unknown> {
  return {
    token: projectKey,
    supportedCompression: ['gzip', 'gzip-js'],
    hasFeatureFlags: false,
    sessionRecording: false,
    heatmaps: false,
    productTours: false,
    siteApps: [],
  };
}

/**
 * The same config as the script posthog-js loads from `/array/<key>/config.js`, which puts it
 * where the SDK looks (`window._POSTHOG_REMOTE_CONFIG[key]`). The key is JSON-encoded with `<`
 * escaped, so a key cannot close the script or inject code.
 */
export function remoteConfigScript(projectKey: string): string {
  const json = (value: unknown) =>
    JSON.stringify(value)
      .replace(/</g, '\\u003c')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
  return `(function() {
  window._POSTHOG_REMOTE_CONFIG = window._POSTHOG_REMOTE_CONFIG || {};
  window._POSTHOG_REMOTE_CONFIG[${json(projectKey)}] = {
    config: ${json(remoteConfigFor(projectKey))},
    siteApps: []
  };
})();
`;
}

/**
 * The flags answer, in both of PostHog's shapes: v2 (`flags`, what `/flags/?v=2` returns) and
 * the older `featureFlags` / `featureFlagPayloads` that `/decide/` returned, so any SDK version
 * reads "no flags" rather than an error.
 */
export function noFlagsAnswer(): Record<string, unknown> {
  return {
    flags: {},
    featureFlags: {},
    featureFlagPayloads: {},
    errorsWhileComputingFlags: false,
    quotaLimited: [],
    requestId: randomUUID(),
    // What /decide/ carried besides flags, for SDKs old enough to ask it.
    config: { enable_collect_everything: true },
    supportedCompression: ['gzip', 'gzip-js'],
    sessionRecording: false,
    siteApps: [],
  };
}
