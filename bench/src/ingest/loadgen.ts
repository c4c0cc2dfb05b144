/*
 * The benchmark's load generator, run in its own process: sends `events` envelopes over
 * keep-alive loopback connections, `concurrency` at a time, round-robin over `groups` groups, and
 * reports the latency of each request. Arguments come as JSON in argv[2].
 */
import http from 'http';
import { groupTemplate, makeEnvelope } from './events';

async function main() {
  const {
    port,
    projectId,
    publicKey,
    events,
    concurrency,
    groups,
    maxSeconds,
  }: {
    port: number;
    projectId: string;
    publicKey: string;
    events: number;
    concurrency: number;
    groups: number;
    maxSeconds: number;
  } = JSON.parse(process.argv[2]);
  const path = `/api/product-os/sentry/api/${projectId}/envelope/?sentry_version=7&sentry_key=${publicKey}&sentry_client=sentry.javascript.node%2F10.78.0`;
  const dsn = `http://${publicKey}@127.0.0.1:${port}/api/product-os/sentry/${projectId}`;
  const templates = Array.from({ length: groups }, (_, g) => groupTemplate(g));
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const latencies = new Float64Array(events);
  // When each response came, to show whether the rate holds as the stored data grows.
  const answeredAt = new Float64Array(events);
  const statuses: Record<number, number> = {};
  const deadline = Date.now() + maxSeconds * 1000;
  let next = 0;
  let done = 0;

  function send(body: Buffer) {
    return new Promise<number>((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-sentry-envelope',
            'content-length': body.length,
            'user-agent': 'sentry.javascript.node/10.78.0',
          },
        },
        res => {
          res.resume();
          res.on('end', () => resolve(res.statusCode ?? 0));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  async function worker() {
    while (next < events && Date.now() < deadline) {
      const n = next++;
      const body = makeEnvelope(templates[n % groups], n, dsn);
      const started = process.hrtime.bigint();
      const status = await send(body);
      answeredAt[done] = performance.now();
      latencies[done++] = Number(process.hrtime.bigint() - started) / 1e6;
      // The parent reads the backend's CPU at each fifth of the events, for CPU per event.
      if (done % Math.ceil(events / 5) === 0)
        process.send!({ cmd: 'progress', answered: done });
      statuses[status] = (statuses[status] ?? 0) + 1;
    }
  }

  const startedAt = Date.now();
  const startedAtMs = performance.now();
  await Promise.all(Array.from({ length: concurrency }, worker));
  const finishedAt = Date.now();
  agent.destroy();

  const sorted = Array.from(latencies.subarray(0, done)).sort((a, b) => a - b);
  const pct = (p: number) =>
    sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))];
  process.send!({
    cmd: 'load',
    startedAt,
    finishedAt,
    sent: done,
    statuses,
    p50: pct(50),
    p99: pct(99),
    max: sorted[sorted.length - 1],
    fifths: ratesByFifth(answeredAt.subarray(0, done), startedAtMs),
  });
}

/**
 * Responses a second in each fifth of the run, by count (the first fifth of the responses, the
 * second, ...): flat when storing stays as fast while the tables fill.
 */
function ratesByFifth(answeredAt: Float64Array, startedAtMs: number): number[] {
  const rates: number[] = [];
  let from = startedAtMs;
  for (let fifth = 1; fifth <= 5; fifth++) {
    const first = Math.floor(((fifth - 1) * answeredAt.length) / 5);
    const last = Math.floor((fifth * answeredAt.length) / 5) - 1;
    if (last < first) continue;
    const until = answeredAt[last];
    rates.push(
      Math.round(((last - first + 1) * 1000) / Math.max(until - from, 1)),
    );
    from = until;
  }
  return rates;
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
