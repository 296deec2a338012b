#!/usr/bin/env node
// Runs before `npm run dev` and `npm test` on a fresh clone: installs the npm dependencies and the
// system tools the product needs (Chromium, ffmpeg, espeak-ng, poppler-utils) when they are missing.
// Plain JavaScript on purpose: it must work before `npm ci` has installed TypeScript tooling.
'use strict';
const { execSync, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tools = [
  { bin: '/usr/bin/chromium', pkg: 'chromium' },
  { bin: '/usr/bin/ffmpeg', pkg: 'ffmpeg' },
  { bin: '/usr/bin/ffprobe', pkg: 'ffmpeg' },
  { bin: '/usr/bin/espeak-ng', pkg: 'espeak-ng' },
  { bin: '/usr/bin/pdftotext', pkg: 'poppler-utils' },
];

/**
 * Whether node_modules already holds what package-lock.json asks for. Compared by content, not by
 * date: a fresh clone's lockfile is always newer than a node_modules copied or linked next to it.
 */
function upToDate() {
  const read = (file) => {
    try {
      return JSON.parse(fs.readFileSync(file, 'utf8')).packages || {};
    } catch {
      return undefined;
    }
  };
  const wanted = read(path.join(root, 'package-lock.json'));
  const installed = read(path.join(root, 'node_modules', '.package-lock.json'));
  if (!wanted || !installed) return false;
  return Object.entries(wanted).every(
    // Optional packages for other platforms are never installed; the root entry ('') is not a package.
    ([name, meta]) => name === '' || meta.optional || (installed[name] && installed[name].version === meta.version),
  );
}

function installNodeModules() {
  if (upToDate()) return;
  console.log('Installing npm dependencies (npm ci)…');
  try {
    execSync('npm ci --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  } catch {
    // A mirror serving only this platform's optional native builds makes npm ci call the lockfile out of sync.
    console.log('npm ci refused the lockfile; installing from it with npm install');
    execSync('npm install --no-audit --no-fund', { cwd: root, stdio: 'inherit' });
  }
}

function installSystemTools() {
  const missing = [...new Set(tools.filter((t) => !fs.existsSync(t.bin)).map((t) => t.pkg))];
  if (missing.length === 0) return;
  const command = `apt-get install -y --no-install-recommends ${missing.join(' ')} fonts-dejavu-core`;
  const canApt = process.getuid && process.getuid() === 0 && spawnSync('sh', ['-c', 'command -v apt-get']).status === 0;
  if (!canApt) {
    console.error(
      `Missing system packages: ${missing.join(', ')}. Ask someone with root to run: sudo ${command} (then run npm run dev again).`,
    );
    process.exit(1);
  }
  console.log(`Installing system packages: ${missing.join(', ')}…`);
  execSync(`apt-get update -qq && DEBIAN_FRONTEND=noninteractive ${command}`, { stdio: 'inherit' });
}

installSystemTools();
installNodeModules();
