// Worker: performs N read-modify-write increments of `count` on one shared file, one at a time.
// argv: <file> <increments> [durability] ; prints one JSON line with its latencies at the end.
import { openJsonFile } from '../../dist/index.js';

const [file, countArg, durability = 'durable'] = process.argv.slice(2);
const increments = Number(countArg);
const doc = openJsonFile(file, {
  create: () => ({ count: 0 }),
  durability,
  lock: { label: `increment-${process.pid}` },
  validate: Object.assign((v) => typeof v === 'object' && v !== null && Number.isInteger(v.count), {
    issues: () => [{ path: '/count', message: 'count must be an integer' }],
  }),
});
const latencies = [];
const startedAt = Date.now();
for (let i = 0; i < increments; i += 1) {
  const commit = await doc.update((draft) => {
    draft.count += 1;
  });
  latencies.push(commit.latencyMs);
}
const endedAt = Date.now();
const stats = doc.stats();
await doc.close();
process.stdout.write(`${JSON.stringify({ pid: process.pid, startedAt, endedAt, latencies, staleTakeovers: stats.staleTakeovers })}\n`);
