import { createHash } from 'crypto';
import { hashedUserKey } from './userKey';

describe('hashedUserKey', () => {
  it('is the SHA-256 of the parts, so keys stored before stay the same', () => {
    expect(hashedUserKey(['phc_key', 'user-1'])).toBe(
      createHash('sha256')
        .update('phc_key\u0000user-1')
        .digest('hex')
        .slice(0, 32),
    );
  });

  it('gives the same id another key in another project', () => {
    expect(hashedUserKey(['project-a', 'user-1'])).not.toBe(
      hashedUserKey(['project-b', 'user-1']),
    );
    expect(hashedUserKey(['a', 'b\u0000c'])).toHaveLength(32);
  });
});
