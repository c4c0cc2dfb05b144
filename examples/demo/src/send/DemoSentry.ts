import {
  defaultStackParser,
  makeNodeTransport,
  NodeClient,
  Scope,
} from '@sentry/node';
import type { DemoService } from '../product/services';

/** An error to report as having happened at `at` (epoch ms). */
export interface DemoError {
  service: DemoService;
  error: unknown;
  at: number;
  eventId: string;
  release: string;
  userId: string;
}

/**
 * The demo services' Sentry SDKs: one `@sentry/node` client per service, its DSN pointed at this
 * backend's Sentry endpoint, the way a real service would be configured.
 */
export class DemoSentry {
  private readonly clients = new Map<string, NodeClient>();
  private pending = 0;

  constructor(private readonly sentryBaseUrl: string) {}

  /** The DSN a service would set: `http://<key>@<host>/api/product-os/sentry/<project id>`. */
  dsnOf(service: DemoService): string {
    const url = new URL(this.sentryBaseUrl);
    url.username = service.sentry.publicKey;
    return `${url.toString().replace(/\/$/, '')}/${service.sentry.projectId}`;
  }

  async capture(report: DemoError): Promise<void> {
    const client = this.clientOf(report.service);
    // The SDK parses the thrown error's real stack; only the time is moved, for back-filled history.
    const event = await client.eventFromException(report.error);
    event.event_id = report.eventId;
    event.timestamp = report.at / 1000;
    event.release = report.release;
    event.user = { id: report.userId };
    event.tags = { ...event.tags, demo: 'true' };
    const scope = new Scope();
    scope.setClient(client);
    client.captureEvent(event, { event_id: report.eventId }, scope);
    // The transport queues 64 requests at most and drops the rest; stay well below.
    if (++this.pending >= 40) await this.flush();
  }

  async flush(): Promise<void> {
    this.pending = 0;
    await Promise.all(
      [...this.clients.values()].map(client => client.flush(30_000)),
    );
  }

  async close(): Promise<void> {
    await Promise.all(
      [...this.clients.values()].map(client => client.close(5_000)),
    );
    this.clients.clear();
  }

  private clientOf(service: DemoService): NodeClient {
    let client = this.clients.get(service.name);
    if (!client) {
      client = new NodeClient({
        dsn: this.dsnOf(service),
        transport: makeNodeTransport,
        stackParser: defaultStackParser,
        integrations: [],
        environment: 'production',
        serverName: `${service.name}-demo`,
      });
      client.init();
      // Each client flushes on `beforeExit`; seven services' clients in one process are not a
      // listener leak.
      process.setMaxListeners(process.getMaxListeners() + 1);
      this.clients.set(service.name, client);
    }
    return client;
  }
}
