import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisDocument, redisHealth, type DocumentValidator } from '../src/index.js';
import { startRedisServer, type RedisServer } from '../src/testing.js';

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
    let writing = true;
    const writer = (async () => {
      while (writing) await doc.update((draft) => void (draft.n += 1));
    })();
    const moving = await redisHealth(server.url('moving'), { sampleMs: 200 });
    writing = false;
    await writer;
    const idle = await redisHealth(server.url('moving'), { sampleMs: 200 });
    expect(moving.revisionMoving).toBe(true);
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
