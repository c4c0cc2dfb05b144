import { PostHog } from 'posthog-node';
import type { DemoService } from '../product/services';

/**
 * The demo services' PostHog SDKs: one `posthog-node` client per project key, its host pointed
 * at this backend's PostHog endpoint.
 */
export class DemoPostHog {
  private readonly clients = new Map<string, PostHog>();

  constructor(private readonly host: string) {}

  capture(
    service: DemoService,
    event: { name: string; distinctId: string; at: number },
  ): void {
    const projectKey = service.posthog?.projectKey;
    if (!projectKey) return;
    this.clientOf(projectKey).capture({
      distinctId: event.distinctId,
      event: event.name,
      timestamp: new Date(event.at),
      properties: { demo: true, service: service.name },
    });
  }

  async flush(): Promise<void> {
    await Promise.all([...this.clients.values()].map(client => client.flush()));
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.clients.values()].map(client => client.shutdown(5_000)),
    );
    this.clients.clear();
  }

  private clientOf(projectKey: string): PostHog {
    let client = this.clients.get(projectKey);
    if (!client) {
      client = new PostHog(projectKey, {
        host: this.host,
        flushAt: 500,
        flushInterval: 5_000,
        maxBatchSize: 500,
        // An hour of back-filled history is flushed as one; nothing may be dropped before that.
        maxQueueSize: 20_000,
        disableGeoip: true,
      });
      this.clients.set(projectKey, client);
    }
    return client;
  }
}
