import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisDocument, RedisStoreError, type RedisStoreEvent } from '../src/index.js';
import { startRedisServer, type RedisServer } from '../src/testing.js';
import { startReplyDroppingProxy, type ReplyDroppingProxy } from './helpers/reply-dropping-proxy.js';

interface Counter {
  n: number;
}

let server: RedisServer;
let proxy: ReplyDroppingProxy;
let raw: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  proxy = await startReplyDroppingProxy(server.port);
  raw = new Redis(server.port, '127.0.0.1');
});
afterAll(async () => {
  raw?.disconnect();
  await proxy?.close();
  await server?.stop();
});

const bump = (draft: Counter) => void (draft.n += 1);

describe('an acknowledgement lost to a broken connection', () => {
  it('is recognised on retry: the update resolves once and is not applied a second time', async () => {
    const events: RedisStoreEvent[] = [];
    const doc = openRedisDocument<Counter>(proxy.url('lost-ack'), { create: () => ({ n: 0 }), onEvent: (e) => void events.push(e) });
    await doc.update(bump);
    proxy.dropNextScriptReply();
    const commit = await doc.update(bump);
    expect(commit.revision).toBe(2);
    expect(commit.value.n).toBe(2);
    expect(await raw.hget('lost-ack', 'rev')).toBe('2');
    expect(events.some((e) => e.type === 'retry' && e.code === 'UNAVAILABLE')).toBe(true);
    expect((await doc.update(bump)).revision).toBe(3);
    expect((await doc.read()).value.n).toBe(3);
    await doc.close();
  });

  it('reports outcome "unknown" with a token when the deadline passes first, and checkCommitted answers later', async () => {
    const doc = openRedisDocument<Counter>(proxy.url('unknown'), { create: () => ({ n: 0 }) });
    await doc.update(bump);
    proxy.dropNextScriptReply();
    proxy.refuseConnections(true);
    const error = await doc.update(bump, { timeoutMs: 1_000 }).then(
      () => null,
      (e: unknown) => e,
    );
    proxy.refuseConnections(false);
    expect(RedisStoreError.isInstance(error)).toBe(true);
    const timeout = error as RedisStoreError;
    expect(timeout.code).toBe('TIMEOUT');
    expect(timeout.outcome).toBe('unknown');
    expect(timeout.message).toContain('checkCommitted');
    expect(await doc.checkCommitted(timeout.token ?? '')).toBe(2);
    expect(await doc.checkCommitted('never-used')).toBeNull();
    expect((await doc.read()).value.n).toBe(2);
    await doc.close();
  });
});
