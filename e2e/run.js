#!/usr/bin/env node
/*
 * Browser tests: starts the portal with the README's first command (`npm start`, which runs the
 * demo), with e2e/app-config.e2e.yaml on top for ports of its own and an in-memory database,
 * then runs every `*.e2e.mjs` file here with Node's test runner, driving Debian's chromium
 * through playwright-core. Screenshots go to e2e/artifacts/.
 *
 * E2E_ONLY=website-sdks,smoke runs only the files whose names contain one of those words.
 */
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..');
const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3107);
const BACKEND_PORT = Number(process.env.E2E_BACKEND_PORT ?? 7107);
// The second origin that website-sdks.e2e.mjs serves its page from (the config allows it).
const SITE_PORT = Number(process.env.E2E_SITE_PORT ?? 3117);
const only = (process.env.E2E_ONLY ?? '')
  .split(',')
  .map(word => word.trim())
  .filter(Boolean);
const appUrl = `http://localhost:${APP_PORT}`;
const backendUrl = `http://localhost:${BACKEND_PORT}`;
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function ensureChromium() {
  if (fs.existsSync(chromium)) return;
  console.log('[e2e] installing Debian chromium');
  const install = spawnSync(
    'sh',
    [
      '-c',
      'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium',
    ],
    { stdio: 'inherit' },
  );
  if (install.status !== 0 || !fs.existsSync(chromium)) {
    throw new Error(
      `No browser at ${chromium}; install Debian's chromium package`,
    );
  }
}

async function waitFor(url, portal, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (portal.exitCode !== null)
      throw new Error('the portal exited before it was ready');
    try {
      const res = await fetch(url);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`${url} did not answer within ${timeoutMs / 1000}s`);
}

/** The process and all its descendants, found through /proc (Linux). */
function processTree(rootPid) {
  const children = new Map();
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${entry}/stat`, 'utf8');
      // The parent pid is the second field after the parenthesised command name.
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (!children.has(ppid)) children.set(ppid, []);
      children.get(ppid).push(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  const tree = [];
  const queue = [rootPid];
  while (queue.length > 0) {
    const pid = queue.shift();
    tree.push(pid);
    queue.push(...(children.get(pid) ?? []));
  }
  return tree;
}

/**
 * Stops the portal and everything it started. The dev server restarts the backend in a process
 * of its own when sources change, so the whole tree is collected first, then signalled: a
 * survivor would keep the ports of the next run.
 */
async function stopAll(rootPid) {
  const tree = processTree(rootPid);
  const signal = (pids, name) =>
    pids.forEach(pid => {
      try {
        process.kill(pid, name);
      } catch {
        // already gone
      }
    });
  signal(tree, 'SIGTERM');
  const alive = () => tree.filter(pid => fs.existsSync(`/proc/${pid}`));
  for (let i = 0; i < 20 && alive().length > 0; i++) {
    await new Promise(resolve => setTimeout(resolve, 500));
  }
  signal(alive(), 'SIGKILL');
}

async function portFree(port) {
  return new Promise(resolve => {
    const socket = require('net').connect({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(false);
    });
    socket.once('error', () => resolve(true));
  });
}

async function main() {
  for (const port of [APP_PORT, BACKEND_PORT, SITE_PORT]) {
    if (!(await portFree(port))) {
      throw new Error(
        `port ${port} is in use; stop what listens there or set E2E_APP_PORT / E2E_BACKEND_PORT / E2E_SITE_PORT`,
      );
    }
  }
  ensureChromium();
  const logDir = fs.mkdtempSync('/tmp/product-os-e2e-');
  const log = { path: path.join(logDir, 'portal.log') };
  // Straight to the file: while the tests run (spawnSync) nothing here reads a pipe, and a full
  // pipe would stall the portal on its next log line.
  const logFd = fs.openSync(log.path, 'a');
  console.log(
    `[e2e] starting the portal with \`npm start\` (log: ${log.path})`,
  );
  const portal = spawn(
    'npm',
    ['start', '--', '--config', path.join(__dirname, 'app-config.e2e.yaml')],
    {
      cwd: repoRoot,
      env: {
        ...process.env,
        E2E_APP_PORT: String(APP_PORT),
        E2E_BACKEND_PORT: String(BACKEND_PORT),
        E2E_SITE_PORT: String(SITE_PORT),
        // The dev server must not try to open a browser window.
        BROWSER: 'none',
      },
      stdio: ['ignore', logFd, logFd],
      detached: true,
    },
  );
  let status = 1;
  try {
    await waitFor(
      `${backendUrl}/.backstage/health/v1/readiness`,
      portal,
      300_000,
    );
    await waitFor(appUrl, portal, 300_000);
    const specs = fs
      .readdirSync(__dirname)
      .filter(file => file.endsWith('.e2e.mjs'))
      .filter(
        file => only.length === 0 || only.some(word => file.includes(word)),
      )
      .map(file => path.join(__dirname, file));
    if (specs.length === 0)
      throw new Error(`no e2e file matches E2E_ONLY=${only}`);
    const run = spawnSync(
      'node',
      ['--test', '--test-concurrency=1', ...specs],
      {
        stdio: 'inherit',
        cwd: repoRoot,
        env: {
          ...process.env,
          E2E_BASE_URL: appUrl,
          E2E_BACKEND_URL: backendUrl,
          E2E_SITE_PORT: String(SITE_PORT),
          CHROMIUM_PATH: chromium,
        },
      },
    );
    status = run.status ?? 1;
  } catch (error) {
    console.error(`[e2e] ${error.message}`);
  } finally {
    await stopAll(portal.pid);
  }
  if (status !== 0) console.error(`[e2e] failed; portal log: ${log.path}`);
  process.exit(status);
}

main().catch(error => {
  console.error(`[e2e] ${error.message}`);
  process.exit(1);
});
