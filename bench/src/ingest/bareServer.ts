/*
 * The benchmark's ceiling: a bare node:http server that does only what any envelope endpoint
 * must do, read the body and parse the envelope and its event, and answers like Sentry.
 */
import http from 'http';
import {
  parseEnvelope,
  parseJsonObject,
} from '@internal/plugin-product-os-backend-module-sentry/src/envelope/parseEnvelope';

let events = 0;
const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', chunk => chunks.push(chunk));
  req.on('end', () => {
    try {
      const envelope = parseEnvelope(Buffer.concat(chunks));
      for (const item of envelope.items) {
        if (item.header.type === 'event') {
          parseJsonObject(item.payload, 'event');
          events += 1;
        }
      }
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id: envelope.header.event_id }));
    } catch (error) {
      res.writeHead(400);
      res.end(String(error));
    }
  });
});

process.on('message', (message: any) => {
  if (message.cmd === 'cpu') {
    process.send!({ cmd: 'cpu', cpuMicros: cpuMicros() });
  } else if (message.cmd === 'stats') {
    (globalThis as { gc?: () => void }).gc?.();
    process.send!({
      cmd: 'stats',
      events,
      counted: events,
      groups: 0,
      maxRssBytes: process.resourceUsage().maxRSS * 1024,
      cpuMicros: cpuMicros(),
      heapUsedBytes: process.memoryUsage().heapUsed,
    });
  } else if (message.cmd === 'stop') {
    server.close(() => process.exit(0));
  }
});

server.listen(0, '127.0.0.1', () => {
  const address = server.address() as { port: number };
  process.send!({
    cmd: 'ready',
    port: address.port,
    projects: [{ id: '4505', publicKey: 'a1b2c3d4e5f60718293a4b5c6d7e8f90' }],
    rssBytes: process.memoryUsage().rss,
  });
});

/** CPU time this process has used, user and system, in microseconds. */
function cpuMicros(): number {
  const { user, system } = process.cpuUsage();
  return user + system;
}
