/**
 * The fingerprint of an error group that Sentry's webhooks describe. Sentry groups by its own
 * rules into issues, so such groups are keyed by the issue id rather than by the fingerprint
 * computed for SDK events.
 */
export function issueFingerprint(issueId: string): string {
  return `sentry-issue:${issueId}`;
}
