/*
 * The benchmark's ceiling: a bare node:http server that does only what any envelope endpoint
 * must do, read the body and parse the envelope and its event, and answers like Sentry.
 */
import http from 'http';
import {
  parseEnvelope,
  parseJsonObject,
} from '@internal/plugin-product-os-backend-module-sentry/src/envelope/parseEnvelope';
import { answerServerMessages } from './serverMessages';

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

answerServerMessages({
  counts: async () => ({ events, counted: events, groups: 0 }),
  stop: () => new Promise(resolve => server.close(() => resolve())),
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
