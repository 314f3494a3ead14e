// Holds the lock until `<file>.release` appears (however long that takes), then releases and exits.
// argv: <file>
import { existsSync } from 'node:fs';
import { openJsonFile } from '../../dist/index.js';

const [file] = process.argv.slice(2);
const doc = openJsonFile(file);
await doc.update(async (draft) => {
  draft.log.push('holder');
  process.stdout.write('holding\n');
  while (!existsSync(`${file}.release`)) await new Promise((resolve) => setTimeout(resolve, 5));
});
await doc.close();
