#!/usr/bin/env node
// Runs every compiled test file under tap and ends with one line: `N passed, N failed[, N skipped]`.
// Usage: node scripts/run-tests.mjs [file-or-dir …]   (default: every *.test.js under dist/)
// NETNS_TESTS=1 makes namespace tests mandatory (they fail instead of skipping); CI sets it.
import { spawn } from 'node:child_process';
import { readdirSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';

function collect(dir, out) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) { if (name !== 'bench' && name !== 'node_modules') collect(p, out); }
    else if (name.endsWith('.test.js')) out.push(p);
  }
  return out;
}

const args = process.argv.slice(2);
const roots = args.length ? args : ['dist'];
if (!args.length && !existsSync('dist')) {
  console.error('run-tests: dist/ is missing; run `npm run build` first');
  process.exit(2);
}
const files = roots.flatMap((r) => (statSync(r).isDirectory() ? collect(r, []) : [r])).sort();
if (files.length === 0) { console.error('run-tests: no test files found'); process.exit(2); }

const jobs = process.env.TEST_JOBS ?? '2';
const child = spawn('npx', ['--no-install', 'tap', '--reporter=tap', `--jobs=${jobs}`, ...files], {
  stdio: ['ignore', 'pipe', 'inherit'],
  env: { ...process.env, FORCE_COLOR: '0' },
});
let tail = '';
child.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  tail = (tail + chunk.toString()).slice(-4096);
});
child.on('close', (code) => {
  const m = /# \{ total: (\d+)(?:, pass: (\d+))?(?:, fail: (\d+))?(?:, skip: (\d+))?(?:, todo: (\d+))?/.exec(tail);
  const pass = Number(m?.[2] ?? 0);
  const fail = Number(m?.[3] ?? 0) + (m ? 0 : 1);
  const skip = Number(m?.[4] ?? 0) + Number(m?.[5] ?? 0);
  const failed = code !== 0 && fail === 0 ? 1 : fail;
  console.log(`${pass} passed, ${failed} failed${skip ? `, ${skip} skipped` : ''}`);
  process.exit(code === 0 && failed === 0 ? 0 : 1);
});
