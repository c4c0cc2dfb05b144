import { hashedUserKey } from '@internal/plugin-product-os-node';

/**
 * The opaque key a distinct id is counted under. Only this hash is stored, never the id; it is
 * salted with the project key so the same id in two projects gives two keys.
 */
export function userKeyOf(apiKey: string, distinctId: string): string {
  return hashedUserKey([apiKey, distinctId]);
}
