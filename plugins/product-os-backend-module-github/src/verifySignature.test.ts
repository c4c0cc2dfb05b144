import { sign } from '@octokit/webhooks-methods';
import { verifyGitHubSignature } from './verifySignature';

describe('verifyGitHubSignature', () => {
  // The example in GitHub's "Validating webhook deliveries" documentation.
  const secret = "It's a Secret to Everybody";
  const payload = 'Hello, World!';
  const expected =
    'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';

  it("accepts GitHub's published test vector", () => {
    expect(verifyGitHubSignature(secret, Buffer.from(payload), expected)).toBe(
      true,
    );
  });

  it('accepts what @octokit/webhooks-methods signs', async () => {
    const body = JSON.stringify({ zen: 'Design for failure.' });
    expect(verifyGitHubSignature(secret, body, await sign(secret, body))).toBe(
      true,
    );
    expect(await sign(secret, payload)).toBe(expected);
  });

  it('refuses a wrong secret, a changed body, a missing prefix and a missing header', () => {
    expect(verifyGitHubSignature('another secret', payload, expected)).toBe(
      false,
    );
    expect(verifyGitHubSignature(secret, 'Hello, World?', expected)).toBe(
      false,
    );
    expect(
      verifyGitHubSignature(secret, payload, expected.slice('sha256='.length)),
    ).toBe(false);
    expect(
      verifyGitHubSignature(secret, payload, `sha1=${expected.slice(7)}`),
    ).toBe(false);
    expect(verifyGitHubSignature(secret, payload, 'sha256=')).toBe(false);
    expect(verifyGitHubSignature(secret, payload, undefined)).toBe(false);
  });
});
