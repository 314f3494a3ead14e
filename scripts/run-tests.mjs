#!/usr/bin/env node
// Runs every workspace package's tests through turbo, then adds up the vitest JSON reports into the
// plain `N passed, N failed` line CI reads (vitest's own coloured summary is not machine-read).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureSystemDeps } from './system-deps.mjs';

const root = new URL('..', import.meta.url).pathname;
ensureSystemDeps();
const workspaces = ['packages', 'apps'].flatMap((dir) =>
  existsSync(join(root, dir))
    ? readdirSync(join(root, dir), { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(join(root, dir, d.name, 'package.json')))
        .map((d) => join(root, dir, d.name))
    : [],
);
const withTests = workspaces.filter((ws) => {
  const pkg = JSON.parse(readFileSync(join(ws, 'package.json'), 'utf8'));
  return Boolean(pkg.scripts?.test);
});
for (const ws of withTests) rmSync(join(ws, 'test-results.json'), { force: true });

const args = ['exec', 'turbo', 'run', 'test', '--continue', ...process.argv.slice(2)];
const run = spawnSync('pnpm', args, {
  cwd: root,
  stdio: 'inherit',
  env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env },
});

let passed = 0;
let failed = 0;
const missing = [];
for (const ws of withTests) {
  const file = join(ws, 'test-results.json');
  if (!existsSync(file)) {
    missing.push(ws.slice(root.length));
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  // A test file that fails to load has no test results, only a failed suite: count it.
  failed += (report.testResults ?? []).filter(
    (s) => s.status === 'failed' && (s.assertionResults ?? []).length === 0,
  ).length;
}
if (missing.length > 0 && run.status !== 0) {
  console.error(`no test report from: ${missing.join(', ')} (their test task did not run to the end)`);
  failed += missing.length;
}
const exitCode = run.status !== 0 || failed > 0 ? 1 : 0;
console.log(`${passed} passed, ${failed} failed`);
process.exit(exitCode);
