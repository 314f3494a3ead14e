// Worker: commits N updates, each only once the test has seen the one before: after each commit it
// waits until <ackFile> holds that revision (or gives up after 20 s, exit 1).
// argv: <file> <updates> <ackFile>
import { readFileSync } from 'node:fs';
import { openJsonFile } from '../../dist/index.js';

const [file, updates, ackFile] = process.argv.slice(2);
const acked = () => {
  try {
    return Number(readFileSync(ackFile, 'utf8')) || 0;
  } catch (error) {
    if (error.code === 'ENOENT') return 0;
    throw error;
  }
};
const doc = openJsonFile(file, { create: () => ({ count: 0 }) });
for (let i = 0; i < Number(updates); i += 1) {
  const { revision } = await doc.update((d) => {
    d.count += 1;
  });
  const giveUpAt = Date.now() + 20_000;
  while (acked() < revision) {
    if (Date.now() > giveUpAt) {
      process.stderr.write(`revision ${revision} was not acknowledged within 20 s\n`);
      process.exit(1);
    }
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
await doc.close();
