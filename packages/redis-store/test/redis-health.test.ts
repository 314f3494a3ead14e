import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisDocument, redisHealth, type DocumentValidator } from '../src/index.js';
import { startRedisServer, type RedisServer } from '../src/testing.js';
import { startReplyDroppingProxy } from './helpers/reply-dropping-proxy.js';

interface Doc {
  n: number;
  lastWriter?: string;
}

const nonNegative: DocumentValidator = Object.assign((value: unknown) => (value as Doc).n >= 0, {
  issues: () => [{ path: '/n', message: 'must be >= 0' }],
});

let server: RedisServer;
beforeAll(async () => {
  server = await startRedisServer({ appendfsync: 'always' });
});
afterAll(async () => {
  await server?.stop();
});

describe('redisHealth', () => {
  it('reports persistence, revision, last writer and validity of a live document', async () => {
    const doc = openRedisDocument<Doc>(server.url('healthy'), { create: () => ({ n: 0 }), label: 'wayside' });
    await doc.update((draft) => void Object.assign(draft, { n: 1, lastWriter: 'wayside' }));
    await doc.update((draft) => void (draft.n = 2));
    const health = await redisHealth(server.url('healthy'), { validate: nonNegative });
    expect(health).toMatchObject({
      reachable: true,
      error: null,
      exists: true,
      revision: 2,
      documentValid: true,
      historyLength: 2,
      persistence: { aof: true, appendfsync: 'always', rdbSave: '', everyAckDurable: true },
    });
    expect(health.serverVersion).toMatch(/^\d+\.\d+/);
    expect(health.lastWriter).toMatchObject({ label: 'wayside', inDocument: 'wayside' });
    await doc.close();
  });

  it('tells whether the revision is moving while writers are active', async () => {
    const doc = openRedisDocument<Doc>(server.url('moving'), { create: () => ({ n: 0 }) });
    await doc.update((draft) => void (draft.n += 1));
    // The health check reads the revision, waits sampleMs and reads it again (HGET). That second read
    // is held back at a proxy until a writer has committed: the revision moves between the two reads
    // however slow the machine is (a writer racing the 200 ms window left it unmoved whenever one
    // commit took longer than that).
    const proxy = await startReplyDroppingProxy(server.port);
    try {
      const secondRead = proxy.holdNext('hget');
      const checking = redisHealth(proxy.url('moving'), { sampleMs: 200, timeoutMs: 10_000 });
      await secondRead.held;
      await doc.update((draft) => void (draft.n += 1));
      secondRead.release();
      const moving = await checking;
      expect(moving.error).toBeNull();
      expect(moving.revisionMoving).toBe(true);
    } finally {
      await proxy.close();
    }
    const idle = await redisHealth(server.url('moving'), { sampleMs: 200 });
    expect(idle.revisionMoving).toBe(false);
    await doc.close();
  });

  it('flags an invalid stored document with its issues', async () => {
    const doc = openRedisDocument<Doc>(server.url('unhealthy'), { create: () => ({ n: -1 }) });
    await doc.update((draft) => draft);
    const health = await redisHealth(server.url('unhealthy'), { validate: nonNegative });
    expect(health.documentValid).toBe(false);
    expect(health.issues).toEqual([{ path: '/n', message: 'must be >= 0' }]);
    await doc.close();
  });

  it('reports an unreachable server instead of throwing', async () => {
    const down = await startRedisServer();
    const url = down.url('k');
    await down.stop();
    const health = await redisHealth(url, { timeoutMs: 500 });
    expect(health.reachable).toBe(false);
    expect(health.error).toContain(`connecting to ${url}`);
    expect(health.persistence).toBeNull();
  });
});
