import { hashedUserKey } from '@internal/plugin-product-os-node';
import { asObject, asString, JsonObject } from './values';

/**
 * An opaque key for the user an event happened to, to count affected users without keeping who
 * they are: a hash of the first of `user.id`, `email`, `username`, `ip_address`, salted with the
 * project id. The raw values are never stored.
 */
export function userKey(
  event: JsonObject,
  projectId: string,
): string | undefined {
  const user = asObject(event.user);
  if (!user) return undefined;
  for (const field of ['id', 'email', 'username', 'ip_address']) {
    const value = asString(user[field], 512);
    // `{{auto}}` asks Sentry to fill in the sender's address; it identifies no one by itself.
    if (value && value !== '{{auto}}') {
      return hashedUserKey(['sentry', projectId, field, value]);
    }
  }
  return undefined;
}
