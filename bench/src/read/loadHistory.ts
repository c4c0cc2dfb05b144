import http from 'http';
import type { BenchProject } from '../ingest/backendProcess';
import {
  GroupTemplate,
  groupTemplate,
  makeBatchEnvelope,
} from '../ingest/events';
import type { ErrorHistory } from './history';

/** Events of a stretch of history, cut into envelopes per project, in time order. */
const SLICE = 5000;

export interface LoadResult {
  events: number;
  seconds: number;
  statuses: Record<string, number>;
}

/**
 * Sends a history to the backend's Sentry envelope endpoint, as SDKs (through a relay or an
 * offline cache) would: up to `batch` events of one project per envelope, `concurrency`
 * envelopes in flight. Each answer comes after the events are committed, so when the last
 * answer is in, everything is stored. Prints the rate every `reportEverySeconds`.
 */
export async function loadHistory(
  history: ErrorHistory,
  options: {
    port: number;
    projects: BenchProject[];
    batch: number;
    concurrency: number;
    reportEverySeconds?: number;
  },
): Promise<LoadResult> {
  const { port, projects, batch, concurrency } = options;
  const templates = new Map<number, GroupTemplate>();
  const template = (g: number) => {
    let t = templates.get(g);
    if (!t) templates.set(g, (t = groupTemplate(g)));
    return t;
  };
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const total = history.atMs.length;

  /** The next envelopes, a slice of history at a time. */
  function* envelopes(): Generator<{
    project: BenchProject;
    body: Buffer;
    count: number;
  }> {
    for (let from = 0; from < total; from += SLICE) {
      const byProject = new Map<number, number[]>();
      for (let i = from; i < Math.min(from + SLICE, total); i++) {
        const entity = history.entityOf(history.group[i]);
        let list = byProject.get(entity);
        if (!list) byProject.set(entity, (list = []));
        list.push(i);
      }
      for (const [entity, indices] of byProject) {
        const project = projects[entity];
        const dsn = `http://${project.publicKey}@127.0.0.1:${port}/api/product-os/sentry/${project.id}`;
        for (let k = 0; k < indices.length; k += batch) {
          const events = indices.slice(k, k + batch).map(i => ({
            template: template(history.group[i]),
            n: i,
            atMs: history.atMs[i],
          }));
          yield {
            project,
            body: makeBatchEnvelope(events, dsn),
            count: events.length,
          };
        }
      }
    }
  }

  function send(project: BenchProject, body: Buffer): Promise<number> {
    return new Promise((resolve, reject) => {
      const req = http.request(
        {
          host: '127.0.0.1',
          port,
          path: `/api/product-os/sentry/api/${project.id}/envelope/?sentry_version=7&sentry_key=${project.publicKey}`,
          method: 'POST',
          agent,
          headers: {
            'content-type': 'application/x-sentry-envelope',
            'content-length': body.length,
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

  const source = envelopes();
  const statuses: Record<string, number> = {};
  const startedAt = Date.now();
  let sent = 0;
  let lastReport = { at: startedAt, sent: 0 };
  const reportEveryMs = (options.reportEverySeconds ?? 30) * 1000;
  async function worker() {
    for (let next = source.next(); !next.done; next = source.next()) {
      const { project, body, count } = next.value;
      const status = await send(project, body);
      statuses[status] = (statuses[status] ?? 0) + count;
      sent += count;
      const now = Date.now();
      if (now - lastReport.at >= reportEveryMs) {
        console.log(
          `    ${sent}/${total} events, ${Math.round(
            ((sent - lastReport.sent) * 1000) / (now - lastReport.at),
          )} events/s over the last ${Math.round(
            (now - lastReport.at) / 1000,
          )} s`,
        );
        lastReport = { at: now, sent };
      }
    }
  }
  await Promise.all(Array.from({ length: concurrency }, worker));
  agent.destroy();
  return { events: sent, seconds: (Date.now() - startedAt) / 1000, statuses };
}
