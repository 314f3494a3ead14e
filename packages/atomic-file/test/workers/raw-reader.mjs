// Worker: reads the file with plain readFileSync + JSON.parse in a loop (as a naive reader in
// another language would) until it receives SIGTERM; reports parse errors and revision order.
import { readFileSync } from 'node:fs';

const [file] = process.argv.slice(2);
let reads = 0;
let parseErrors = 0;
let missing = 0;
let lastRevision = -1;
let decreases = 0;
const firstErrors = [];
let stopping = false;
process.on('SIGTERM', () => {
  stopping = true;
});
process.stdout.write('ready\n');
while (!stopping) {
  let text;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
    missing += 1;
    await new Promise((resolve) => setImmediate(resolve));
    continue;
  }
  reads += 1;
  try {
    const value = JSON.parse(text);
    if (value.revision < lastRevision) decreases += 1;
    lastRevision = value.revision;
  } catch (error) {
    parseErrors += 1;
    if (firstErrors.length < 3) firstErrors.push(`${error.message} in ${JSON.stringify(text.slice(0, 80))}`);
  }
  // Let the SIGTERM handler run.
  if (reads % 20 === 0) await new Promise((resolve) => setImmediate(resolve));
}
process.stdout.write(`${JSON.stringify({ reads, parseErrors, missing, decreases, lastRevision, firstErrors })}\n`);
