// Holds the lock for <holdMs>, then releases and exits. argv: <file> <holdMs>
import { openJsonFile } from '../../dist/index.js';

const [file, holdMs] = process.argv.slice(2);
const doc = openJsonFile(file);
await doc.update(async (draft) => {
  draft.log.push('holder');
  process.stdout.write('holding\n');
  await new Promise((resolve) => setTimeout(resolve, Number(holdMs)));
});
await doc.close();
