import {
  hmacSha256Hex,
  signaturesMatch,
} from '@internal/plugin-product-os-node';

const PREFIX = 'sha256=';

/**
 * Checks GitHub's `X-Hub-Signature-256` header: `sha256=` followed by the hex HMAC-SHA256 of the
 * raw body, keyed with the webhook secret.
 */
export function verifyGitHubSignature(
  secret: string,
  body: Buffer | string,
  header: string | undefined,
): boolean {
  if (!header?.startsWith(PREFIX)) return false;
  return signaturesMatch(
    hmacSha256Hex(secret, body),
    header.slice(PREFIX.length),
  );
}
