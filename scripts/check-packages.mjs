#!/usr/bin/env node
// Release checks on what npm would really ship: pack every published package with pnpm (which rewrites
// workspace: ranges), lint the tarball with publint --strict and @arethetypeswrong/cli, then install the
// tarballs into a throwaway plain npm project outside the workspace and use them from ESM and CommonJS.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishedPackages, root } from './workspace.mjs';

const bin = (name) => join(root, 'node_modules', '.bin', name);
const failures = [];
function run(label, cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', ...opts });
  if (r.status !== 0) {
    failures.push(label);
    console.error(`✗ ${label}\n${r.stdout ?? ''}${r.stderr ?? ''}`);
  } else {
    console.log(`✓ ${label}`);
  }
  return r;
}

const packDir = mkdtempSync(join(tmpdir(), 'rail-pack-'));
const tarballs = new Map();
for (const pkg of publishedPackages()) {
  const before = new Set(readdirSync(packDir));
  run(`pack ${pkg.name}`, 'pnpm', ['pack', '--pack-destination', packDir], { cwd: pkg.dir });
  const tgz = readdirSync(packDir).find((f) => !before.has(f));
  if (!tgz) continue;
  const file = join(packDir, tgz);
  tarballs.set(pkg.name, file);
  run(`publint --strict ${pkg.name}`, bin('publint'), ['run', file, '--strict']);
  run(`attw ${pkg.name}`, bin('attw'), [file, '--format', 'ascii', '--no-color']);
}

// Consumer smoke test: a plain npm project, no workspace, no TypeScript.
const consumer = mkdtempSync(join(tmpdir(), 'rail-consumer-'));
const wanted = ['@rail/schema', '@rail/atomic-file'];
writeFileSync(join(consumer, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
run(
  'npm install tarballs into a plain project',
  'npm',
  ['install', '--no-audit', '--no-fund', '--offline', ...wanted.map((n) => tarballs.get(n)).filter(Boolean)],
  { cwd: consumer },
);
const body = (load) => `${load}
const file = path.join(os.tmpdir(), 'rail-consumer-' + process.pid + '-' + Math.random().toString(36).slice(2) + '.json');
const doc = openJsonFile(file, { validate: isTrainData, create: () => emptyTrainData() });
const commit = await doc.update((d) => { d.trains.T1 = { line: 'Green', specs: { ...FLEXITY2_SPECS } }; });
const back = await doc.read();
await doc.close();
if (commit.revision !== 1 || !isTrainData(back.value) || back.value.trains.T1.line !== 'Green') throw new Error('round trip failed');
const bad = parseTrainData('{"schemaVersion":1', { source: 'x.json' });
if (bad.ok || bad.error.code !== 'JSON_SYNTAX') throw new Error('parse error expected');
console.log('consumer ok, revision', commit.revision);
`;
writeFileSync(
  join(consumer, 'esm.mjs'),
  body(`import { openJsonFile } from '@rail/atomic-file';
import { isTrainData, emptyTrainData, FLEXITY2_SPECS, parseTrainData } from '@rail/schema';
import os from 'node:os'; import path from 'node:path';`),
);
writeFileSync(
  join(consumer, 'cjs.cjs'),
  `(async () => {\n${body(`const { openJsonFile } = require('@rail/atomic-file');
const { isTrainData, emptyTrainData, FLEXITY2_SPECS, parseTrainData } = require('@rail/schema');
const os = require('node:os'); const path = require('node:path');`)}\n})().catch((e) => { console.error(e); process.exit(1); });\n`,
);
run('consumer ESM (.mjs)', 'node', ['esm.mjs'], { cwd: consumer });
run('consumer CommonJS (.cjs)', 'node', ['cjs.cjs'], { cwd: consumer });

rmSync(packDir, { recursive: true, force: true });
rmSync(consumer, { recursive: true, force: true });
if (failures.length > 0) {
  console.error(`release checks failed: ${failures.join('; ')}`);
  process.exit(1);
}
console.log('release checks passed');
