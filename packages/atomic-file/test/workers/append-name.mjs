// Worker: one update that appends its name to `order`. argv: <file> <name>
import { openJsonFile } from '../../dist/index.js';

const [file, name] = process.argv.slice(2);
const doc = openJsonFile(file, { lock: { timeoutMs: 30_000 } });
await doc.update((draft) => {
  draft.order.push(name);
});
await doc.close();
