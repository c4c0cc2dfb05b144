import http from 'http';

/** A read route of the plugin, for one entity (by its name in `default`) or the whole portal. */
export interface ReadRoute {
  name: string;
  path: (entityName: string) => string;
}

const ENTITY = (name: string) =>
  `/api/product-os/entities/component/default/${name}`;

/** The routes the portal's pages read, as the entity tab and the leaders' page call them. */
export const READ_ROUTES: ReadRoute[] = [
  { name: '/overview', path: e => `${ENTITY(e)}/overview` },
  {
    name: '/errors/trend?window=90d',
    path: e => `${ENTITY(e)}/errors/trend?window=90d`,
  },
  {
    name: '/timeline?window=30d',
    path: e => `${ENTITY(e)}/timeline?window=30d`,
  },
  { name: '/errors', path: e => `${ENTITY(e)}/errors` },
  { name: '/health (leaders’ page)', path: () => '/api/product-os/health' },
];

export interface RouteLatency {
  p50: number;
  p95: number;
  /** Answers other than 200, by status. */
  failures: Record<string, number>;
  /** Mean size of an answer, to see that there was something to read. */
  meanBytes: number;
}

/**
 * Asks one route `requests` times from `clients` concurrent clients (keep-alive), round-robin
 * over the entities, after a warm-up of one request per client that is not counted.
 */
export async function driveRoute(
  route: ReadRoute,
  options: {
    port: number;
    entityNames: string[];
    clients: number;
    requests: number;
  },
): Promise<RouteLatency> {
  const { port, entityNames, clients, requests } = options;
  const agent = new http.Agent({ keepAlive: true, maxSockets: clients });
  const get = (path: string) =>
    new Promise<{ status: number; bytes: number }>((resolve, reject) => {
      http
        .get({ host: '127.0.0.1', port, path, agent }, res => {
          let bytes = 0;
          res.on('data', (chunk: Buffer) => (bytes += chunk.length));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
        })
        .on('error', reject);
    });
  const failures: Record<string, number> = {};
  const ms: number[] = [];
  let bytes = 0;
  let next = -clients;
  async function client() {
    while (next < requests) {
      const n = next++;
      const path = route.path(entityNames[(n + clients) % entityNames.length]);
      const started = process.hrtime.bigint();
      const answer = await get(path);
      if (n < 0) continue;
      ms.push(Number(process.hrtime.bigint() - started) / 1e6);
      bytes += answer.bytes;
      const status = answer.status;
      if (status !== 200) failures[status] = (failures[status] ?? 0) + 1;
    }
  }
  await Promise.all(Array.from({ length: clients }, client));
  agent.destroy();
  ms.sort((a, b) => a - b);
  const at = (q: number) =>
    ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
  return {
    p50: at(0.5),
    p95: at(0.95),
    failures,
    meanBytes: Math.round(bytes / Math.max(ms.length, 1)),
  };
}
