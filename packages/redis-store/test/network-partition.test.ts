import { spawnSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisDocument } from '../src/index.js';
import { startRedisServer, type RedisServer } from '../src/testing.js';
import { waitUntil } from './helpers/wait-until.js';
import { runWorker } from './helpers/workers.js';

// One writer runs in its own network namespace and reaches Redis over a veth pair: a real network
// hop that the test cuts for a few seconds mid-run. The namespace and both addresses are this
// test's own (10.213.7.0/30, made here and removed after); nothing else is addressed.
const NS = `rail-part-${process.pid}`;
const HOST_IF = `rph${process.pid % 100000}`;
const NS_IF = `rpn${process.pid % 100000}`;
const HOST_ADDR = '10.213.7.1';
const NS_ADDR = '10.213.7.2';

function ip(...args: string[]): void {
  const result = spawnSync('ip', args, { encoding: 'utf8' });
  if (result.status !== 0) {
    throw new Error(
      `\`ip ${args.join(' ')}\` failed (${result.error?.message ?? result.stderr.trim()}). This test needs root and iproute2 ` +
        '(network namespaces and veth pairs); run it as root on Linux, as CI does.',
    );
  }
}

interface Counter {
  total: number;
  counts: Record<string, number>;
}

interface WorkerReport {
  acked: number[];
  ackedAt: number[];
  failures: { code: string; outcome: string | undefined; token: string | undefined; at: number }[];
}

let server: RedisServer;
beforeAll(async () => {
  ip('netns', 'add', NS);
  ip('link', 'add', HOST_IF, 'type', 'veth', 'peer', 'name', NS_IF);
  ip('link', 'set', NS_IF, 'netns', NS);
  ip('addr', 'add', `${HOST_ADDR}/30`, 'dev', HOST_IF);
  ip('link', 'set', HOST_IF, 'up');
  ip('netns', 'exec', NS, 'ip', 'addr', 'add', `${NS_ADDR}/30`, 'dev', NS_IF);
  ip('netns', 'exec', NS, 'ip', 'link', 'set', NS_IF, 'up');
  ip('netns', 'exec', NS, 'ip', 'link', 'set', 'lo', 'up');
  server = await startRedisServer({ appendfsync: 'always', bind: [HOST_ADDR] });
});
afterAll(async () => {
  await server?.stop();
  // Deleting the namespace removes the veth pair with it.
  spawnSync('ip', ['netns', 'del', NS]);
});

describe('a writer behind a real network hop that is cut for 3 s', () => {
  it('fails its updates during the cut with TIMEOUT, recovers by itself, and loses or doubles nothing', async () => {
    const url = `redis://${HOST_ADDR}:${server.port}/partitioned`;
    // 200 updates 20 ms apart (~4 s of traffic plus the cut); 800 ms deadline per update.
    const running = runWorker('increment-worker', [url, 'far', '200', '800', '20'], ['ip', 'netns', 'exec', NS]);
    // Cut once the writer is under way, watched over loopback (not the hop being cut): after 10 of its
    // 200 updates it has at least 190 × 20 ms still to go. A fixed 1.5 s raced its start-up (node and
    // tsx in the namespace), and a slow start-up left no traffic to cut.
    const progress = openRedisDocument<Counter>(server.url('partitioned'));
    await waitUntil(async () => ((await progress.read().catch(() => null))?.revision ?? 0) >= 10, 'the writer to commit 10 updates');
    await progress.close();
    ip('link', 'set', HOST_IF, 'down');
    await new Promise((resolve) => setTimeout(resolve, 3000));
    ip('link', 'set', HOST_IF, 'up');
    const result = await running;
    expect(result.code, result.stderr).toBe(0);
    const report = JSON.parse(result.stdout) as WorkerReport;

    // The cut was noticed: updates failed with a typed TIMEOUT, never silently.
    expect(report.failures.length).toBeGreaterThan(0);
    expect(new Set(report.failures.map((f) => f.code))).toEqual(new Set(['TIMEOUT']));
    // And the writer came back on its own: updates after the last failure were acknowledged.
    const lastFailure = Math.max(...report.failures.map((f) => f.at));
    expect(report.ackedAt.filter((at) => at > lastFailure).length).toBeGreaterThan(10);

    // Nothing acknowledged was lost and nothing was applied twice: the total is the acknowledged
    // updates plus those whose outcome was unknown and that the store confirms did land.
    const doc = openRedisDocument<Counter>(url);
    const { value } = await doc.read();
    let unknownLanded = 0;
    for (const failure of report.failures) {
      if (failure.outcome === 'unknown' && failure.token !== undefined && (await doc.checkCommitted(failure.token)) !== null) unknownLanded += 1;
    }
    await doc.close();
    expect(new Set(report.acked).size).toBe(report.acked.length);
    expect(value.total).toBe(report.acked.length + unknownLanded);
    expect(value.counts.far).toBe(value.total);
  });
});
