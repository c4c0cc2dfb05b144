import { normalizeMessage } from './normalizeMessage';

describe('normalizeMessage', () => {
  it.each([
    ['User 42 not found', 'User <num> not found'],
    ['Order 1234 not found', 'Order <num> not found'],
    [
      'Order 9f1c2a4e-7b3d-4c5e-9a8b-1c2d3e4f5a6b failed',
      'Order <uuid> failed',
    ],
    [
      'User 0b7c1e52-5d8e-4c1a-9a0e-2f3b4c5d6e7f has no cart',
      'User <uuid> has no cart',
    ],
    [
      "Cannot read properties of undefined (reading 'total')",
      'Cannot read properties of undefined (reading <str>)',
    ],
    [
      "Cannot read properties of undefined (reading 'id')",
      'Cannot read properties of undefined (reading <str>)',
    ],
    ['Key "cart:1234" missing', 'Key <str> missing'],
    ["can't connect to 10.0.0.12:5432", "can't connect to <num>.<num>:<num>"],
    [
      'object 5f2b9c0e8a7d6e1f4b3a2c91 not in cache',
      'object <hex> not in cache',
    ],
    ['bad pointer 0xdeadBEEF', 'bad pointer <hex>'],
    [
      'Lock held since 2026-11-20T10:15:00Z by 0x7ffd3a2b1c',
      'Lock held since <time> by <hex>',
    ],
    ['No account for jane.doe@example.com', 'No account for <email>'],
    [
      'Upstream timed out after 3000ms (utf8, v2)',
      'Upstream timed out after <num>ms (utf8, v2)',
    ],
    ['  spaces \n and\tlines ', 'spaces and lines'],
  ])('normalizes %j', (message, expected) => {
    expect(normalizeMessage(message)).toBe(expected);
  });

  it('keeps at most 1024 characters', () => {
    expect(normalizeMessage('x'.repeat(5000))).toHaveLength(1024);
  });
});
