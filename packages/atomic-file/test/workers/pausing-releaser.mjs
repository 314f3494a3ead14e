// Holds the lock until `<file>.go` appears, then releases; its hand-over rename is held up for
// <pauseMs> (as a SIGSTOP, swap or long GC would), long enough for a waiter to judge it stale.
// argv: <file> <pauseMs>
import { existsSync } from 'node:fs';
import { nodeFileSystem, openJsonFile } from '../../dist/index.js';

const [file, pauseMs] = process.argv.slice(2);
const fs = {
  ...nodeFileSystem,
  renameSync: (from, to) => {
    if (from.endsWith('.json') && from.includes('.tmpdir') && to.startsWith(`${file}.lock/`)) {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, Number(pauseMs));
    }
    nodeFileSystem.renameSync(from, to);
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
