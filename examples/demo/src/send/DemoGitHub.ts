import { randomUUID } from 'crypto';
import { sign } from '@octokit/webhooks-methods';

type Payload = Record<string, unknown>;

/**
 * Delivers GitHub webhooks the way GitHub does: a JSON body signed with the webhook secret in
 * `X-Hub-Signature-256`, with the event name and a delivery id.
 */
export class DemoGitHub {
  constructor(
    private readonly webhookUrl: string,
    private readonly secret: string,
  ) {}

  async deliver(event: string, payload: Payload): Promise<void> {
    const body = JSON.stringify(payload);
    const res = await fetch(this.webhookUrl, {
      method: 'POST',
      headers: {
        'Content-Type': 'application/json',
        'User-Agent': 'GitHub-Hookshot/product-os-demo',
        'X-GitHub-Event': event,
        'X-GitHub-Delivery': randomUUID(),
        'X-Hub-Signature-256': await sign(this.secret, body),
      },
      body,
    });
    if (!res.ok) {
      throw new Error(
        `GitHub ${event} delivery was refused: ${
          res.status
        } ${await res.text()}`,
      );
    }
  }
}

/** The `repository` and `sender` objects every repository webhook carries. */
export function repositoryOf(fullName: string, sender: string) {
  const [owner, name] = fullName.split('/');
  const htmlUrl = `https://github.com/${fullName}`;
  return {
    repository: {
      id: hashId(fullName),
      name,
      full_name: fullName,
      private: true,
      html_url: htmlUrl,
      url: `https://api.github.com/repos/${fullName}`,
      default_branch: 'main',
      owner: { login: owner, type: 'Organization' },
    },
    sender: {
      login: sender,
      type: 'User',
      html_url: `https://github.com/${sender}`,
    },
  };
}

function hashId(text: string): number {
  let hash = 7;
  for (const char of text)
    hash = (hash * 31 + char.charCodeAt(0)) % 1_000_000_007;
  return hash;
}
