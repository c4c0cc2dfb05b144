import { createHash } from 'crypto';

/**
 * The opaque key a user is counted under (affected users of an error group, distinct users of a
 * metric): a hash of the parts that name the user, salted by the caller with what scopes them (a
 * project), so the same id in two projects gives two keys. Only this key is stored, never the id.
 *
 * @public
 */
export function hashedUserKey(parts: string[]): string {
  return createHash('sha256')
    .update(parts.join('\u0000'))
    .digest('hex')
    .slice(0, 32);
}
