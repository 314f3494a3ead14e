// Holds the lock until `<file>.go` appears, then releases; its hand-over rename is held up for
// <pauseMs> (as a SIGSTOP, swap or long GC would), long enough for a waiter to judge it stale, and
// the removal of its own record after that by [recordDelayMs] (default 0; it then writes
// `<file>.resumed`).
// argv: <file> <pauseMs> [recordDelayMs]
import { existsSync, writeFileSync } from 'node:fs';
import { nodeFileSystem, openJsonFile } from '../../dist/index.js';

const [file, pauseMs, recordDelayMs = '0'] = process.argv.slice(2);
const stall = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(ms));
const fs = {
  ...nodeFileSystem,
  renameSync: (from, to) => {
    if (from.endsWith('.json') && from.includes('.tmpdir') && to.startsWith(`${file}.lock/`)) stall(pauseMs);
    nodeFileSystem.renameSync(from, to);
  },
  unlinkSync: (path) => {
    if (path.startsWith(`${file}.lock/`) && recordDelayMs !== '0') {
      stall(recordDelayMs);
      writeFileSync(`${file}.resumed`, '');
    }
    nodeFileSystem.unlinkSync(path);
  },
};
const doc = openJsonFile(file, { fs });
await doc.update(async (draft) => {
  draft.log.push('releaser');
  process.stdout.write('holding\n');
  while (!existsSync(`${file}.go`)) await new Promise((resolve) => setTimeout(resolve, 5));
});
await doc.close();
process.stdout.write('done\n');
