import { ChildProcess, fork } from 'child_process';
import path from 'path';

/** Backstage's runtime TypeScript transform, for the processes the benchmarks fork. */
export const TRANSFORM = require.resolve(
  '@backstage/cli/config/nodeTransform.cjs',
);

/** A Sentry project of the benchmark backend, one per catalog entity. */
export type BenchProject = {
  id: string;
  publicKey: string;
  slug: string;
};

/** A server process (backend.ts or bareServer.ts) that listens and answers over IPC. */
export interface ServerProcess {
  child: ChildProcess;
  port: number;
  projects: BenchProject[];
  rssBytes: number;
}

/**
 * How the backend process reaches its database: a SQLite file in `directory`, or a PostgreSQL
 * database that Backstage names `<prefix>product-os`.
 */
export function databaseConfig(
  engine: 'sqlite' | 'postgres',
  options: { directory: string; prefix: string; postgres: string },
) {
  return engine === 'postgres'
    ? { client: 'pg', connection: options.postgres, prefix: options.prefix }
    : {
        client: 'better-sqlite3',
        connection: { directory: options.directory },
      };
}

const stopping = new WeakSet<ChildProcess>();

/** Starts a server process and resolves once it listens. */
export function startServer(
  script: string,
  env: Record<string, string>,
): Promise<ServerProcess> {
  const profileDir = process.env.BENCH_PROFILE_DIR;
  const child = fork(script, [], {
    execArgv: [
      '--require',
      TRANSFORM,
      // So that the heap reported at the end is the live heap, after a full collection.
      '--expose-gc',
      ...(profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : []),
    ],
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.on('exit', code => {
      if (stopping.has(child)) return;
      // Without it nothing would be left to wait for, and the benchmark would end silently.
      console.error(
        `${path.basename(script)} exited unexpectedly (code ${code})`,
      );
      process.exit(1);
    });
    // The TypeScript transform also talks over IPC (`watch` messages); only `ready` counts.
    const onMessage = (message: any) => {
      if (message.cmd !== 'ready') return;
      child.off('message', onMessage);
      resolve({ child, ...message });
    };
    child.on('message', onMessage);
  });
}

/** Asks the server process something over IPC and resolves with its answer. */
export function ask(child: ChildProcess, cmd: string): Promise<any> {
  return new Promise(resolve => {
    const onMessage = (message: any) => {
      if (message.cmd === cmd) {
        child.off('message', onMessage);
        resolve(message);
      }
    };
    child.on('message', onMessage);
    child.send({ cmd });
  });
}

export function stopServer(child: ChildProcess): Promise<void> {
  return new Promise(resolve => {
    stopping.add(child);
    child.once('exit', () => resolve());
    child.send({ cmd: 'stop' });
  });
}
