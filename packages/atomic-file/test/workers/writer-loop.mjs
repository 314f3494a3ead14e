// Worker: updates the shared document in an endless loop (to be SIGKILLed at a random point).
// Prints "ready" after its first commit. argv: <file>
import { openJsonFile } from '../../dist/index.js';

const [file] = process.argv.slice(2);
const doc = openJsonFile(file, {
  create: () => ({ count: 0, history: [] }),
  validate: (v) => typeof v === 'object' && v !== null && Number.isInteger(v.count) && Array.isArray(v.history),
});
let first = true;
for (;;) {
  await doc.update((draft) => {
    draft.count += 1;
    // Vary the size so a torn write would show as broken JSON.
    draft.history = Array.from({ length: draft.count % 50 }, (_, i) => `entry-${draft.count}-${i}`);
  });
  if (first) {
    first = false;
    process.stdout.write('ready\n');
  }
}
