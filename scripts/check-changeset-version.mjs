#!/usr/bin/env node
// Proves the versioning config does what the README says: in a throwaway clone, one changeset that
// names one package bumps exactly that package and its internal dependents (updateInternalDependencies),
// and nothing else.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { publishedPackages, root } from './workspace.mjs';

const target = process.argv[2] ?? '@rail/track';
const clone = mkdtempSync(join(tmpdir(), 'rail-changeset-'));
function sh(cmd, args, cwd = clone) {
  const r = spawnSync(cmd, args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed:\n${r.stdout}${r.stderr}`);
  return r.stdout;
}
try {
  sh('git', ['clone', '--quiet', '--local', root, clone], root);
  sh('git', ['checkout', '--quiet', '-b', 'changeset-dry-run']);
  // Start from a state with no pending changesets, then add exactly one.
  for (const f of readdirSync(join(clone, '.changeset'))) if (f.endsWith('.md') && f !== 'README.md') rmSync(join(clone, '.changeset', f));
  writeFileSync(join(clone, '.changeset', 'only-one.md'), `---\n'${target}': minor\n---\n\nDry-run change.\n`);
  symlinkSync(join(root, 'node_modules'), join(clone, 'node_modules'), 'dir');
  const before = new Map(publishedPackages().map((p) => [p.name, p.version]));
  sh('node', [join(root, 'node_modules', '@changesets', 'cli', 'bin.js'), 'version']);
  const dependents = new Set([target]);
  // Internal dependents (transitively through dependencies) get a patch bump.
  let grew = true;
  const manifests = publishedPackages().map((p) => p.manifest);
  while (grew) {
    grew = false;
    for (const m of manifests) {
      if (dependents.has(m.name)) continue;
      if (Object.keys(m.dependencies ?? {}).some((d) => dependents.has(d))) {
        dependents.add(m.name);
        grew = true;
      }
    }
  }
  const problems = [];
  for (const dir of readdirSync(join(clone, 'packages'))) {
    const m = JSON.parse(readFileSync(join(clone, 'packages', dir, 'package.json'), 'utf8'));
    if (m.private) continue;
    const changed = before.get(m.name) !== m.version;
    const expected = dependents.has(m.name);
    console.log(`${changed ? 'bumped ' : 'kept   '} ${m.name} ${before.get(m.name)} -> ${m.version}`);
    if (changed !== expected) problems.push(`${m.name} ${changed ? 'was bumped but should not be' : 'should have been bumped'}`);
  }
  if (problems.length) {
    console.error(`changeset version dry run: ${problems.join('; ')}`);
    process.exit(1);
  }
  console.log(`changeset version dry run: one changeset for ${target} bumped exactly it and its ${dependents.size - 1} dependents`);
} finally {
  rmSync(clone, { recursive: true, force: true });
}
