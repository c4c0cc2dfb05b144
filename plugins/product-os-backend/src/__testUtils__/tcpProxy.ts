import { Knex, knex as createKnex } from 'knex';
import net from 'net';

/**
 * A TCP proxy in front of the test PostgreSQL that a test can cut and restore: cutting it ends
 * every connection through it and refuses new ones, as a stopped database server does, so an
 * outage is real (the driver's own errors) rather than a mock.
 */
export class TcpProxy {
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  port = 0;

  constructor(private readonly target: { host: string; port: number }) {}

  async start(): Promise<void> {
    const server = net.createServer(client => {
      const upstream = net.connect(this.target);
      for (const socket of [client, upstream]) {
        this.sockets.add(socket);
        socket.on('close', () => this.sockets.delete(socket));
        socket.on('error', () => {
          client.destroy();
          upstream.destroy();
        });
      }
      client.pipe(upstream).pipe(client);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    this.server = server;
  }

  /** Ends every connection and stops listening: the database is gone. */
  async cut(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    for (const socket of this.sockets) socket.destroy();
    if (server)
      await new Promise<void>(resolve => server.close(() => resolve()));
  }
}

/**
 * A knex on the same database as `knex` (a PostgreSQL of `TestDatabases`), connected through a
 * {@link TcpProxy}.
 */
export async function proxiedKnex(
  knex: Knex,
): Promise<{ knex: Knex; proxy: TcpProxy }> {
  const config = knex.client.config;
  const raw = config.connection;
  const connection: Record<string, any> =
    typeof raw === 'string'
      ? (() => {
          const url = new URL(raw);
          return {
            host: url.hostname,
            port: Number(url.port || 5432),
            user: decodeURIComponent(url.username),
            password: decodeURIComponent(url.password) || undefined,
            database: url.pathname.slice(1),
          };
        })()
      : { ...raw };
  const proxy = new TcpProxy({
    host: connection.host ?? '127.0.0.1',
    port: Number(connection.port ?? 5432),
  });
  await proxy.start();
  const proxied = createKnex({
    client: config.client,
    connection: { ...connection, host: '127.0.0.1', port: proxy.port },
    pool: { min: 0, max: 3 },
    acquireConnectionTimeout: 10_000,
    // The outage is the point of the test; knex would print every refused connection.
    log: { warn() {}, error() {}, debug() {}, deprecate() {} },
  });
  return { knex: proxied, proxy };
}
