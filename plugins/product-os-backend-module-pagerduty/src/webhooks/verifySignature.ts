import { AuthenticationError } from '@backstage/errors';
import {
  hmacSha256Hex,
  signaturesMatch,
} from '@internal/plugin-product-os-node';

/**
 * Checks a V3 webhook's `X-PagerDuty-Signature` header: a comma-separated list of `v1=<hex
 * HMAC-SHA256 of the raw body>`, one per signing secret while a secret rotates. The body is
 * authentic when any `v1` signature matches any configured secret (the router refuses webhooks
 * with 503 before this when none is configured).
 *
 * Throws `AuthenticationError` (401) otherwise, so nothing unauthenticated is stored.
 */
export function verifyWebhookSignature(
  header: string | undefined,
  body: Buffer,
  secrets: string[],
): void {
  if (!header) {
    throw new AuthenticationError('Missing X-PagerDuty-Signature header');
  }
  const given = header
    .split(',')
    .map(part => part.trim())
    .filter(part => part.startsWith('v1='))
    .map(part => part.slice('v1='.length));
  const expected = secrets.map(secret => hmacSha256Hex(secret, body));
  const valid = given.some(signature =>
    expected.some(candidate => signaturesMatch(candidate, signature)),
  );
  if (!valid) {
    throw new AuthenticationError('Invalid X-PagerDuty-Signature');
  }
}
