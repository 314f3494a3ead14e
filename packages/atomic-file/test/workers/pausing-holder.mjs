// Worker: takes the lock, and inside its updater stops itself with SIGSTOP (a laptop lid closing).
// After SIGCONT its commit must be refused. Prints "stopping", then the outcome as JSON.
// argv: <file> <staleMs>
import { openJsonFile } from '../../dist/index.js';

const [file, staleMs] = process.argv.slice(2);
const doc = openJsonFile(file, { lock: { staleMs: Number(staleMs) } });
let outcome;
try {
  const commit = await doc.update((draft) => {
    draft.writer = 'paused-holder';
    process.stdout.write('stopping\n');
    process.kill(process.pid, 'SIGSTOP');
  });
  outcome = { ok: true, revision: commit.revision };
} catch (error) {
  outcome = { ok: false, code: error.code, name: error.name, message: error.message };
}
await doc.close();
process.stdout.write(`${JSON.stringify(outcome)}\n`);
