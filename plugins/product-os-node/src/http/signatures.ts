import { createHmac, timingSafeEqual } from 'crypto';

/** Hex HMAC-SHA256 of `payload`, the signature GitHub, PagerDuty and Sentry all use. @public */
export function hmacSha256Hex(
  secret: string,
  payload: Buffer | string,
): string {
  return createHmac('sha256', secret).update(payload).digest('hex');
}

/** Compares two hex signatures in constant time; false for anything malformed. @public */
export function signaturesMatch(
  expectedHex: string,
  givenHex: string,
): boolean {
  if (
    !/^[0-9a-f]+$/i.test(givenHex) ||
    givenHex.length !== expectedHex.length
  ) {
    return false;
  }
  return timingSafeEqual(
    Buffer.from(expectedHex, 'hex'),
    Buffer.from(givenHex, 'hex'),
  );
}
