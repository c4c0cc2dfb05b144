#!/usr/bin/env node
/*
 * Runs a command with the toolchain this repository needs, bootstrapping it when it is missing:
 * Node 22 (from the npm registry package node-linux-<arch>, because these machines start with
 * Node 20 and can reach no other download site), the committed Yarn release, and `yarn install`
 * when the lockfile or a workspace manifest changed since the last install.
 *
 * Written for Node 20 with no dependencies, since it runs before anything is installed.
 * Usage: node scripts/toolchain.js <command> [args...]
 */
'use strict';

const { spawnSync } = require('child_process');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');

const NODE_VERSION = '22.23.3';
const repoRoot = path.resolve(__dirname, '..');
const toolchainDir = path.join(repoRoot, '.toolchain');
const yarnRelease = path.join(repoRoot, '.yarn', 'releases', 'yarn-4.13.0.cjs');
const installStamp = path.join(repoRoot, 'node_modules', '.product-os-install');

function log(message) {
  process.stderr.write(`[toolchain] ${message}\n`);
}

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { stdio: 'inherit', ...options });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

/** Returns the directory holding a Node >= 22 binary, downloading one when needed. */
function ensureNode() {
  if (Number(process.versions.node.split('.')[0]) >= 22) {
    return {
      binDir: path.dirname(process.execPath),
      headersDir: undefined,
      version: process.version,
    };
  }
  const nodeHome = path.join(toolchainDir, `node-${NODE_VERSION}`);
  const binDir = path.join(nodeHome, 'bin');
  if (!fs.existsSync(path.join(binDir, 'node'))) {
    const pkg = `node-${process.platform}-${process.arch}@${NODE_VERSION}`;
    log(
      `Node ${process.versions.node} is too old for Backstage; fetching ${pkg} from the npm registry`,
    );
    fs.mkdirSync(toolchainDir, { recursive: true });
    const packed = spawnSync(
      'npm',
      ['pack', pkg, '--pack-destination', toolchainDir, '--silent'],
      {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    if (packed.status !== 0) throw new Error(`npm pack ${pkg} failed`);
    const tarball = path.join(
      toolchainDir,
      packed.stdout.trim().split('\n').pop(),
    );
    const staging = `${nodeHome}.partial`;
    fs.rmSync(staging, { recursive: true, force: true });
    fs.mkdirSync(staging, { recursive: true });
    if (
      run('tar', ['xzf', tarball, '-C', staging, '--strip-components=1']) !== 0
    ) {
      throw new Error(`could not unpack ${tarball}`);
    }
    fs.rmSync(tarball);
    fs.renameSync(staging, nodeHome);
  }
  return { binDir, headersDir: nodeHome, version: `v${NODE_VERSION}` };
}

/** A `yarn` on PATH that runs the committed release, so scripts may call plain `yarn`. */
function ensureYarnShim() {
  const shimDir = path.join(toolchainDir, 'bin');
  const shim = path.join(shimDir, 'yarn');
  const body = `#!/bin/sh\nexec node "${yarnRelease}" "$@"\n`;
  if (!fs.existsSync(shim) || fs.readFileSync(shim, 'utf8') !== body) {
    fs.mkdirSync(shimDir, { recursive: true });
    fs.writeFileSync(shim, body, { mode: 0o755 });
  }
  return shimDir;
}

function manifestFingerprint(nodeVersion) {
  const hash = crypto.createHash('sha256');
  const files = ['package.json', 'yarn.lock', '.yarnrc.yml'];
  // Every workspace's manifest, as the root package.json lists them (`dir/*` or `dir/name`).
  const { workspaces = [] } = JSON.parse(
    fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'),
  );
  for (const pattern of workspaces) {
    const dirs = pattern.endsWith('/*')
      ? listDir(pattern.slice(0, -2)).map(name =>
          path.join(pattern.slice(0, -2), name),
        )
      : [pattern];
    for (const dir of dirs) {
      const manifest = path.join(dir, 'package.json');
      if (fs.existsSync(path.join(repoRoot, manifest))) files.push(manifest);
    }
  }
  for (const file of files) {
    hash.update(file);
    hash.update(fs.readFileSync(path.join(repoRoot, file)));
  }
  hash.update(nodeVersion);
  return hash.digest('hex');
}

function listDir(dir) {
  const full = path.join(repoRoot, dir);
  return fs.existsSync(full) ? fs.readdirSync(full).sort() : [];
}

function isInstalled(nodeVersion) {
  return (
    fs.existsSync(installStamp) &&
    fs.readFileSync(installStamp, 'utf8') === manifestFingerprint(nodeVersion)
  );
}

/**
 * Holds an exclusive lock while `fn` runs, so that two commands started at once (a test run and
 * the portal, say) never run two installs into the same node_modules.
 */
function withInstallLock(fn) {
  const lockDir = path.join(toolchainDir, 'install.lock');
  fs.mkdirSync(toolchainDir, { recursive: true });
  for (;;) {
    try {
      fs.mkdirSync(lockDir);
      fs.writeFileSync(path.join(lockDir, 'pid'), String(process.pid));
      break;
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      let holder = NaN;
      try {
        holder = Number(fs.readFileSync(path.join(lockDir, 'pid'), 'utf8'));
      } catch {
        // The holder has not written its pid yet.
      }
      if (holder && !isAlive(holder)) {
        fs.rmSync(lockDir, { recursive: true, force: true });
        continue;
      }
      spawnSync('sleep', ['1']);
    }
  }
  try {
    return fn();
  } finally {
    fs.rmSync(lockDir, { recursive: true, force: true });
  }
}

function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error.code === 'EPERM';
  }
}

function ensureInstalled(env, nodeVersion) {
  if (isInstalled(nodeVersion)) return;
  withInstallLock(() => {
    if (!isInstalled(nodeVersion)) install(env, nodeVersion);
  });
}

function install(env, nodeVersion) {
  // Fingerprinted before the install, so that a manifest edited while it runs is installed next
  // time rather than marked as done. When yarn rewrites the lockfile, the next run repeats the
  // (then instant) install once.
  const fingerprint = manifestFingerprint(nodeVersion);
  log('Installing dependencies (yarn install)');
  const args = [yarnRelease, 'install'];
  if (process.env.CI) args.push('--immutable');
  if (run('node', args, { cwd: repoRoot, env }) !== 0) {
    throw new Error('yarn install failed');
  }
  fs.writeFileSync(installStamp, fingerprint);
}

function main() {
  const [command, ...args] = process.argv.slice(2);
  if (!command) {
    log('usage: node scripts/toolchain.js <command> [args...]');
    process.exit(2);
  }
  const { binDir, headersDir, version } = ensureNode();
  const env = {
    ...process.env,
    PATH: [
      binDir,
      ensureYarnShim(),
      path.join(repoRoot, 'node_modules', '.bin'),
      process.env.PATH,
    ]
      .filter(Boolean)
      .join(path.delimiter),
  };
  if (headersDir) env.npm_config_nodedir = headersDir;
  ensureInstalled(env, version);
  const result = spawnSync(command, args, {
    stdio: 'inherit',
    env,
    cwd: repoRoot,
  });
  if (result.error) throw result.error;
  if (result.signal) process.kill(process.pid, result.signal);
  process.exit(result.status ?? 1);
}

try {
  main();
} catch (error) {
  log(error.message);
  process.exit(1);
}
