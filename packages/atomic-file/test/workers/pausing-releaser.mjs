// Holds the lock until `<file>.go` appears, then releases. Each step named in argv is held up (the
// process blocked, as a SIGSTOP, swap or long GC would: no heartbeat, no event loop) until the test
// says so, however long that takes: before the step it writes `<file>.<step>-held`, and it goes on
// once `<file>.<step>-resume` exists. The steps:
//   hand-over       the rename that moves the oldest waiter's record into the lock
//   record-removal  the removal of its own lock record after that (then it writes `<file>.resumed`)
// A held step goes on by itself after 20 s, so that a test that failed leaves no process behind.
// argv: <file> [step…]
import { existsSync, writeFileSync } from 'node:fs';
import { nodeFileSystem, openJsonFile } from '../../dist/index.js';

const [file, ...steps] = process.argv.slice(2);
const toHold = new Set(steps);
const hold = (step) => {
  if (!toHold.delete(step)) return;
  writeFileSync(`${file}.${step}-held`, '');
  const until = Date.now() + 20_000;
  while (!existsSync(`${file}.${step}-resume`) && Date.now() < until) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
};
const fs = {
  ...nodeFileSystem,
  renameSync: (from, to) => {
    if (from.endsWith('.json') && from.includes('.tmpdir') && to.startsWith(`${file}.lock/`)) hold('hand-over');
    nodeFileSystem.renameSync(from, to);
  },
  unlinkSync: (path) => {
    if (path.startsWith(`${file}.lock/`) && toHold.has('record-removal')) {
      hold('record-removal');
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
