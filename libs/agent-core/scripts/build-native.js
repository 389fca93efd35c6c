#!/usr/bin/env node
// Builds native/reaper.c (Node-API) with the node-gyp bundled with npm and copies it to
// dist/native/reaper.node. Linux only: elsewhere the reaper stays off and nothing is built.
// On Linux any failure fails the build (exit 1): CI must not silently lose the reaper.
// Headers come from the local Node installation (--nodedir); node-gyp never downloads them.
'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const path = require('node:path');

const root = path.join(__dirname, '..');
const nativeDir = path.join(root, 'native');
const out = path.join(root, 'dist', 'native', 'reaper.node');

function fail(message) {
  console.error(`build-native: ${message}`);
  process.exit(1);
}

/** node-gyp.js: $PREFECT_TS_NODE_GYP, next to the npm running us, or under `npm root -g`. */
function findNodeGyp() {
  const candidates = [];
  if (process.env.PREFECT_TS_NODE_GYP) candidates.push(process.env.PREFECT_TS_NODE_GYP);
  if (process.env.npm_execpath) candidates.push(path.join(path.dirname(process.env.npm_execpath), '..', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  candidates.push(path.join(path.dirname(process.execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  try {
    const globalRoot = execFileSync('npm', ['root', '-g'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    candidates.push(path.join(globalRoot, 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'));
  } catch {
    // no npm on PATH: the other candidates decide
  }
  return candidates.find((c) => fs.existsSync(c));
}

/** A directory with include/node/node_api.h: $npm_config_nodedir, or this Node's prefix. */
function findNodeDir() {
  const candidates = [process.env.npm_config_nodedir, path.resolve(path.dirname(process.execPath), '..'), '/usr', '/usr/local'];
  return candidates.find((dir) => dir && fs.existsSync(path.join(dir, 'include', 'node', 'node_api.h')));
}

if (process.platform !== 'linux') {
  console.log(`build-native: skipped on ${process.platform} (the child reaper is Linux-only)`);
  process.exit(0);
}
const nodeGyp = findNodeGyp();
if (!nodeGyp) fail('node-gyp not found (looked next to npm and under `npm root -g`); set PREFECT_TS_NODE_GYP to node-gyp.js');
const nodeDir = findNodeDir();
if (!nodeDir) fail(`Node headers not found (include/node/node_api.h under $npm_config_nodedir, ${path.resolve(path.dirname(process.execPath), '..')}, /usr)`);
fs.rmSync(out, { force: true }); // a failed build must not leave a stale binary behind
try {
  execFileSync(process.execPath, [nodeGyp, 'rebuild', `--nodedir=${nodeDir}`, '--loglevel=warn'], { cwd: nativeDir, stdio: 'inherit' });
} catch (error) {
  fail(`node-gyp failed: ${error.message}`);
}
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.copyFileSync(path.join(nativeDir, 'build', 'Release', 'reaper.node'), out);
// Load it once: a binary that builds but cannot load must fail here, not in production.
const addon = require(out);
for (const fn of ['waitpidNoHang', 'setChildSubreaper', 'isChildSubreaper']) {
  if (typeof addon[fn] !== 'function') fail(`${out} does not export ${fn}()`);
}
console.log(`build-native: ${path.relative(root, out)} (node-gyp ${nodeGyp}, headers ${nodeDir})`);
