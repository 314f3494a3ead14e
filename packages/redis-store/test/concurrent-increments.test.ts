import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisDocument } from '../src/index.js';
import { startRedisServer, type RedisServer } from '../src/testing.js';
import { runWorker } from './helpers/workers.js';

interface Counter {
  total: number;
  counts: Record<string, number>;
}

interface WorkerReport {
  id: string;
  acked: number[];
  failures: unknown[];
  retries: number;
  p99Ms: number;
}

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer();
});
afterAll(async () => {
  await server?.stop();
});

describe('four processes incrementing one Redis document', () => {
  it('ends at exactly 4 × 500 = 2000 with every revision acknowledged to exactly one writer', async () => {
    const url = server.url('counter-4x500');
    const results = await Promise.all(['a', 'b', 'c', 'd'].map((id) => runWorker('increment-worker', [url, id, '500'])));
    for (const result of results) expect(result.code, result.stderr).toBe(0);
    const reports = results.map((result) => JSON.parse(result.stdout) as WorkerReport);

    const doc = openRedisDocument<Counter>(url);
    const { value, revision } = await doc.read();
    await doc.close();
    expect(value.total).toBe(2000);
    expect(value.counts).toEqual({ a: 500, b: 500, c: 500, d: 500 });
    expect(revision).toBe(2000);
    const allAcked = reports.flatMap((report) => report.acked).sort((x, y) => x - y);
    expect(allAcked).toEqual(Array.from({ length: 2000 }, (_, i) => i + 1));
    for (const report of reports) expect(report.failures).toEqual([]);
    console.log(
      `4x500: retries per worker ${reports.map((r) => r.retries).join(', ')}; p99 ms ${reports.map((r) => r.p99Ms.toFixed(2)).join(', ')}`,
    );
  });
});
