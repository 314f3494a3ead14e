// Increments a shared counter `count` times through its own Redis connection, then prints what
// it was acknowledged (JSON on stdout) so the parent test can check that nothing acked was lost.
import { openRedisDocument, RedisStoreError } from '../../src/index.js';

interface Counter {
  total: number;
  counts: Record<string, number>;
}

const [url, id, countText, timeoutText, pauseText] = process.argv.slice(2);
if (!url || !id || !countText) throw new Error('usage: increment-worker <url> <id> <count> [timeoutMs] [pauseMs between updates]');
const pauseMs = Number(pauseText ?? 0);

const doc = openRedisDocument<Counter>(url, {
  create: () => ({ total: 0, counts: {} }),
  timeoutMs: Number(timeoutText ?? 30_000),
  label: `worker-${id}`,
});
const acked: number[] = [];
const ackedAt: number[] = [];
const failures: { code: string; outcome: string | undefined; message: string; token: string | undefined; at: number }[] = [];
for (let i = 0; i < Number(countText); i += 1) {
  try {
    const commit = await doc.update((draft) => {
      draft.total += 1;
      draft.counts[id] = (draft.counts[id] ?? 0) + 1;
    });
    acked.push(commit.revision);
    ackedAt.push(i);
  } catch (error) {
    if (!RedisStoreError.isInstance(error)) throw error;
    failures.push({ code: error.code, outcome: error.outcome, message: error.message, token: error.token, at: i });
  }
  if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
}
const stats = doc.stats();
await doc.close();
process.stdout.write(
  `${JSON.stringify({ id, acked, ackedAt, failures, retries: stats.retries, p99Ms: stats.updateLatencyMs.p99, p50Ms: stats.updateLatencyMs.p50 })}\n`,
);
