import { createHash } from 'crypto';

/**
 * The opaque key a distinct id is counted under. Only this hash is stored, never the id; it is
 * salted with the project key so the same id in two projects gives two keys.
 */
export function userKeyOf(apiKey: string, distinctId: string): string {
  return createHash('sha256')
    .update(`${apiKey}\u0000${distinctId}`)
    .digest('hex')
    .slice(0, 32);
}
