// Worker: commits N updates, one every <gapMs> ms. argv: <file> <updates> <gapMs>
import { openJsonFile } from '../../dist/index.js';

const [file, updates, gapMs] = process.argv.slice(2);
const doc = openJsonFile(file, { create: () => ({ count: 0 }) });
for (let i = 0; i < Number(updates); i += 1) {
  await doc.update((d) => {
    d.count += 1;
  });
  await new Promise((resolve) => setTimeout(resolve, Number(gapMs)));
}
await doc.close();
