// A module-like writer for the doctor's "healthy store" tests: commits through openStore (a file path
// or a redis:// URL) every <periodMs> until killed or <durationMs> has passed. Prints "ready" after
// its first commit.
import { openStore } from '@rail/redis-store';
import { isTrainData } from '@rail/schema';

const [target, periodMs, durationMs] = process.argv.slice(2);
const store = openStore(target, { validate: isTrainData, file: { lock: { label: 'steady-writer' } }, redis: { label: 'steady-writer' } });
const until = Date.now() + Number(durationMs);
let first = true;
while (Date.now() < until) {
  await store.update((draft) => {
    const t = draft.trains.T1;
    t.model.distanceM += 1;
    t.model.simTimeS = (t.model.simTimeS ?? 0) + 0.5;
    draft.lastWriter = { module: 'steady-writer', pid: process.pid, host: 'test-host' };
  });
  if (first) {
    process.stdout.write('ready\n');
    first = false;
  }
  await new Promise((r) => setTimeout(r, Number(periodMs)));
}
await store.close();
