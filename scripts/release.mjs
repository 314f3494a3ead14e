#!/usr/bin/env node
// `pnpm release`: build, run the release checks on the packed tarballs, then publish what changesets
// versioned. `pnpm release --dry-run` does everything but the upload (CI runs it).
import { spawnSync } from 'node:child_process';
import { root } from './workspace.mjs';

const dryRun = process.argv.includes('--dry-run');
function step(cmd, args) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: { TURBO_TELEMETRY_DISABLED: '1', ...process.env } });
  if (r.status !== 0) {
    console.error(`release: \`${cmd} ${args.join(' ')}\` failed (exit ${r.status}); nothing was published.`);
    process.exit(r.status ?? 1);
  }
}
step('pnpm', ['build']);
step('node', ['scripts/check-packages.mjs']);
if (dryRun) {
  // pnpm's dry run packs each public package exactly as `changeset publish` would upload it.
  step('pnpm', ['-r', '--filter', './packages/*', 'publish', '--dry-run', '--no-git-checks', '--access', 'public']);
  console.log('release --dry-run: nothing was published.');
} else {
  step('pnpm', ['exec', 'changeset', 'publish']);
}
