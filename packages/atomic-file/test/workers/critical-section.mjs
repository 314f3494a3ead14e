// Worker: waits until a shared start time, then does N updates; inside each updater it claims
// <dir>/inside exclusively (O_EXCL) for a few ms, so two processes in the critical section at
// once show up as EEXIST. argv: <file> <startAtEpochMs> <updates> <staleMs>
import { closeSync, openSync, unlinkSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { openJsonFile } from '../../dist/index.js';

const [file, startAt, updatesArg, staleMs] = process.argv.slice(2);
const inside = join(dirname(file), 'inside');
const events = [];
const doc = openJsonFile(file, {
  lock: { staleMs: Number(staleMs), timeoutMs: 30_000 },
  onEvent: (e) => {
    if (e.type === 'stale-lock') events.push(e);
  },
});
let overlaps = 0;
await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(startAt) - Date.now())));
for (let i = 0; i < Number(updatesArg); i += 1) {
  await doc.update(async (draft) => {
    let fd;
    try {
      fd = openSync(inside, 'wx');
    } catch (error) {
      if (error.code !== 'EEXIST') throw error;
      overlaps += 1;
    }
    draft.count += 1;
    await new Promise((resolve) => setTimeout(resolve, 3));
    if (fd !== undefined) {
      closeSync(fd);
      unlinkSync(inside);
    }
  });
}
await doc.close();
process.stdout.write(`${JSON.stringify({ overlaps, staleEvents: events })}\n`);
