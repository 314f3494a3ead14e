import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisDocument, RedisStoreError, type RedisSnapshot } from '../src/index.js';
import { startRedisServer, type RedisServer } from '../src/testing.js';
import { waitUntil } from './helpers/wait-until.js';
import { runWorker } from './helpers/workers.js';

interface Counter {
  total: number;
  counts: Record<string, number>;
}

interface WorkerReport {
  id: string;
  acked: number[];
  failures: unknown[];
}

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer({ appendfsync: 'always' });
});
afterAll(async () => {
  await server?.stop();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('Redis outage', () => {
  it('fails an update made while Redis is down with TIMEOUT (not applied), and applies nothing when Redis returns', async () => {
    const doc = openRedisDocument<Counter>(server.url('outage'), { create: () => ({ total: 0, counts: {} }) });
    await doc.update((draft) => void (draft.total += 1));
    await server.crash();

    const update = doc.update((draft) => void (draft.total += 100), { timeoutMs: 1_500 });
    const error = await update.then(
      () => null,
      (e: unknown) => e,
    );
    expect(RedisStoreError.isInstance(error)).toBe(true);
    expect((error as RedisStoreError).code).toBe('TIMEOUT');
    expect((error as RedisStoreError).outcome).toBe('not-applied');
    expect((error as RedisStoreError).message).toContain(server.url('outage'));

    await server.restart();
    // The same handle reconnects by itself; give a late replay, if there were one, time to land.
    await sleep(1_000);
    const after = await doc.read();
    expect(after.revision).toBe(1);
    expect(after.value.total).toBe(1);
    const next = await doc.update((draft) => void (draft.total += 1));
    expect(next.revision).toBe(2);
    expect(next.value.total).toBe(2);
    await doc.close();
  });

  it('fails a read made while Redis is down with UNAVAILABLE', async () => {
    const doc = openRedisDocument<Counter>(server.url('outage-read'), { create: () => ({ total: 0, counts: {} }), timeoutMs: 800 });
    await doc.update((draft) => void (draft.total += 1));
    await server.crash();
    const error = await doc.read().then(
      () => null,
      (e: unknown) => e,
    );
    await server.restart();
    expect((error as RedisStoreError).code).toBe('UNAVAILABLE');
    // The message carries the connection's own reason, not an empty one.
    expect((error as Error).message).toMatch(/did not answer within 800 ms \((connect ECONNREFUSED|connection closed)[^)]*\)\. Check that redis-server is running there/);
    expect((await doc.read()).revision).toBe(1);
    await doc.close();
  });
});

describe('redis-server SIGKILLed and restarted mid-run (appendfsync always)', () => {
  it('loses no acknowledged update, applies none twice, and every client recovers by itself', async () => {
    const url = server.url('crash-run');
    const watcher = openRedisDocument<Counter>(url, { create: () => ({ total: 0, counts: {} }) });
    const seen: RedisSnapshot<Counter>[] = [];
    watcher.watch((snapshot) => void seen.push(snapshot));
    const runs = ['a', 'b', 'c'].map((id) => runWorker('increment-worker', [url, id, '400', '30000']));

    await waitUntil(async () => (seen.at(-1)?.revision ?? 0) >= 150, 'the workers to pass revision 150');
    await server.crash();
    await sleep(1_000);
    await server.restart();

    const results = await Promise.all(runs);
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const reports = results.map((result) => JSON.parse(result.stdout) as WorkerReport);
    for (const report of reports) expect(report.failures).toEqual([]);

    const final = await watcher.read();
    const acked = reports.flatMap((report) => report.acked);
    // Every acknowledged increment is in the document, and none twice: the totals match exactly.
    expect(final.value.total).toBe(1200);
    expect(final.value.counts).toEqual({ a: 400, b: 400, c: 400 });
    expect(final.revision).toBe(1200);
    expect(new Set(acked).size).toBe(1200);

    // The watcher rode through the crash: it ends on the last revision, in order, without repeats.
    await waitUntil(() => seen.at(-1)?.revision === 1200, 'the watcher to reach revision 1200');
    const revisions = seen.map((s) => s.revision);
    expect(revisions).toEqual([...revisions].sort((x, y) => x - y));
    expect(new Set(revisions).size).toBe(revisions.length);
    const gaps = seen.filter((s) => s.gap).map((s) => s.gap);
    // With 100 revisions of history the watcher misses nothing unless >100 commits fell in its reconnect.
    const delivered = new Set(revisions);
    for (let revision = revisions[0] ?? 1; revision <= 1200; revision += 1) {
      const inGap = gaps.some((gap) => gap && revision >= gap.from && revision <= gap.to);
      expect(delivered.has(revision) || inGap, `revision ${revision} delivered or reported as a gap`).toBe(true);
    }
    await watcher.close();
  });
});
