// A module-like writer for the doctor's "healthy file" test: commits through @rail/atomic-file every
// <periodMs> until killed or <durationMs> has passed. Prints "ready" after its first commit.
import { openJsonFile } from '@rail/atomic-file';
import { isTrainData } from '@rail/schema';

const [file, periodMs, durationMs] = process.argv.slice(2);
const store = await openJsonFile(file, { validate: isTrainData, lock: { label: 'steady-writer' } });
const until = Date.now() + Number(durationMs);
let first = true;
while (Date.now() < until) {
  await store.update((draft) => {
    const t = draft.trains.T1;
    t.model.distanceM += 1;
    t.model.simTimeS = (t.model.simTimeS ?? 0) + 0.5;
  });
  if (first) {
    process.stdout.write('ready\n');
    first = false;
  }
  await new Promise((r) => setTimeout(r, Number(periodMs)));
}
await store.close();
