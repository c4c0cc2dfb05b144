#!/usr/bin/env node
/*
 * Browser tests: builds the app, starts the portal backend (which serves the built app) on an
 * in-memory SQLite database with the example catalog, then runs every `*.e2e.mjs` file here with
 * Node's test runner, driving Debian's chromium through playwright-core.
 *
 * E2E_SKIP_BUILD=1 reuses an existing packages/app/dist.
 */
'use strict';

const { spawn, spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const repoRoot = path.resolve(__dirname, '..');
const PORT = Number(process.env.E2E_PORT ?? 7107);
const baseUrl = `http://localhost:${PORT}`;
const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

function ensureChromium() {
  if (fs.existsSync(chromium)) return;
  console.log('[e2e] installing Debian chromium');
  const install = spawnSync(
    'sh',
    ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium'],
    { stdio: 'inherit' },
  );
  if (install.status !== 0 || !fs.existsSync(chromium)) {
    throw new Error(`No browser at ${chromium}; install Debian's chromium package`);
  }
}

function buildApp() {
  if (process.env.E2E_SKIP_BUILD === '1' && fs.existsSync(path.join(repoRoot, 'packages/app/dist'))) {
    return;
  }
  console.log('[e2e] building the app');
  const build = spawnSync('yarn', ['workspace', 'app', 'build'], {
    stdio: 'inherit',
    cwd: repoRoot,
    env: { ...process.env, APP_CONFIG_app_baseUrl: baseUrl, APP_CONFIG_backend_baseUrl: baseUrl },
  });
  if (build.status !== 0) throw new Error('app build failed');
}

async function waitForBackend(child, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error('the backend exited before it was ready');
    try {
      const res = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise(resolve => setTimeout(resolve, 1000));
  }
  throw new Error(`the backend was not ready within ${timeoutMs / 1000}s`);
}

async function main() {
  ensureChromium();
  buildApp();
  const backend = spawn(
    'yarn',
    [
      'workspace',
      'backend',
      'start',
      '--config',
      path.join(repoRoot, 'app-config.yaml'),
      '--config',
      path.join(__dirname, 'app-config.e2e.yaml'),
    ],
    {
      cwd: repoRoot,
      env: { ...process.env, E2E_PORT: String(PORT) },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    },
  );
  const log = fs.createWriteStream(path.join(fs.mkdtempSync('/tmp/product-os-e2e-'), 'backend.log'));
  backend.stdout.pipe(log);
  backend.stderr.pipe(log);
  let status = 1;
  try {
    await waitForBackend(backend, 240_000);
    const specs = fs
      .readdirSync(__dirname)
      .filter(file => file.endsWith('.e2e.mjs'))
      .map(file => path.join(__dirname, file));
    const run = spawnSync('node', ['--test', '--test-concurrency=1', ...specs], {
      stdio: 'inherit',
      cwd: repoRoot,
      env: { ...process.env, E2E_BASE_URL: baseUrl, CHROMIUM_PATH: chromium },
    });
    status = run.status ?? 1;
  } catch (error) {
    console.error(`[e2e] ${error.message}; backend log: ${log.path}`);
  } finally {
    try {
      process.kill(-backend.pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  if (status !== 0) console.error(`[e2e] failed; backend log: ${log.path}`);
  process.exit(status);
}

main().catch(error => {
  console.error(`[e2e] ${error.message}`);
  process.exit(1);
});
