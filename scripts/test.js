#!/usr/bin/env node
/*
 * Runs every test of the repository: the Jest suites of all packages, with every store test on
 * SQLite and on PostgreSQL, then the browser tests (e2e/). Exits non-zero when any fails.
 *
 * Arguments are passed to `backstage-cli repo test` (e.g. a path to run one package's tests);
 * with arguments, the browser tests are skipped unless E2E=1.
 */
'use strict';

const { spawnSync } = require('child_process');
const net = require('net');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..');
const PG_VARIABLE = 'BACKSTAGE_TEST_DATABASE_POSTGRES15_CONNECTION_STRING';
const LOCAL_PG = 'postgresql://postgres@127.0.0.1:5432';

function reachable(host, port) {
  return new Promise(resolve => {
    const socket = net.connect({ host, port, timeout: 2000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
    socket.once('timeout', () => {
      socket.destroy();
      resolve(false);
    });
  });
}

async function postgresConnectionString() {
  if (process.env[PG_VARIABLE]) return process.env[PG_VARIABLE];
  if (await reachable('127.0.0.1', 5432)) return LOCAL_PG;
  // A machine of this kind has PostgreSQL installed; it may only be stopped.
  spawnSync(
    'sh',
    [
      '-c',
      'pg_ctlcluster --skip-systemctl-redirect $(ls /etc/postgresql) main start',
    ],
    {
      stdio: 'inherit',
    },
  );
  if (await reachable('127.0.0.1', 5432)) return LOCAL_PG;
  return undefined;
}

async function main() {
  const args = process.argv.slice(2);
  const connection = await postgresConnectionString();
  if (!connection) {
    console.error(
      `PostgreSQL is not reachable on 127.0.0.1:5432 and ${PG_VARIABLE} is not set.\n` +
        'Every store test runs on SQLite and PostgreSQL; start PostgreSQL or point the variable at one.',
    );
    process.exit(1);
  }
  const env = { ...process.env, [PG_VARIABLE]: connection };

  const unit = spawnSync(
    'backstage-cli',
    ['repo', 'test', '--watchAll=false', ...args],
    {
      stdio: 'inherit',
      env,
      cwd: repoRoot,
    },
  );
  if (unit.status !== 0) process.exit(unit.status ?? 1);

  if (args.length === 0 || process.env.E2E === '1') {
    const e2e = spawnSync('node', [path.join(repoRoot, 'e2e', 'run.js')], {
      stdio: 'inherit',
      env,
      cwd: repoRoot,
    });
    process.exit(e2e.status ?? 1);
  }
}

main().catch(error => {
  console.error(error);
  process.exit(1);
});
