import { createServer, IncomingMessage } from 'http';
import type { AddressInfo } from 'net';
import type { VendorHandler } from './SyncScenario';

/** What the vendor server saw. */
export interface RequestCounts {
  total: number;
  /** Requests that count against the vendor's budget. */
  counted: number;
  byStatus: Record<number, number>;
}

/**
 * A local HTTP server that answers through the scenario's handler after `latencyMs`, the round
 * trip to a hosted vendor, and counts every request by status.
 */
export async function startVendorServer(options: {
  handler: VendorHandler;
  latencyMs: number;
  counted?(status: number, req: IncomingMessage): boolean;
}) {
  const counts: RequestCounts = { total: 0, counted: 0, byStatus: {} };
  const server = createServer((req, res) => {
    let body = '';
    req.on('data', chunk => (body += chunk));
    req.on('end', () => {
      setTimeout(async () => {
        try {
          await options.handler(req, res, body);
        } catch (error) {
          res.writeHead(500).end(String(error));
        }
        counts.total += 1;
        counts.byStatus[res.statusCode] =
          (counts.byStatus[res.statusCode] ?? 0) + 1;
        if (options.counted?.(res.statusCode, req) ?? true) counts.counted += 1;
      }, options.latencyMs);
    });
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>(resolve => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    counts,
    /** A copy of the counts now, to subtract from later ones. */
    snapshot: (): RequestCounts => ({
      ...counts,
      byStatus: { ...counts.byStatus },
    }),
    close: () =>
      new Promise<void>(resolve => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
