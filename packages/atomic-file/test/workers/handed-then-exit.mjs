// Two handles in one process: the second is handed the lock by the first (so it keeps its staging
// directory), then the script ends without close(). argv: <file>
import { listTempFiles, openJsonFile } from '../../dist/index.js';

const [file] = process.argv.slice(2);
const holder = openJsonFile(file, { create: () => ({ log: [] }) });
const waiter = openJsonFile(file);
await holder.update(() => undefined);
let waiting;
await holder.update(async (draft) => {
  draft.log.push('holder');
  waiting = waiter.update((w) => {
    w.log.push('waiter');
  });
  await new Promise((resolve) => setTimeout(resolve, 30));
});
await waiting;
process.stdout.write(`${listTempFiles(file).length}\n`);
