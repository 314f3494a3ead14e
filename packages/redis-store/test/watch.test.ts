import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisDocument, type RedisSnapshot } from '../src/index.js';
import { startRedisServer, type RedisServer } from '../src/testing.js';
import { waitUntil } from './helpers/wait-until.js';

interface Counter {
  n: number;
}

let server: RedisServer;
let raw: Redis;
beforeAll(async () => {
  server = await startRedisServer();
  raw = new Redis(server.port, '127.0.0.1');
});
afterAll(async () => {
  raw?.disconnect();
  await server?.stop();
});

const bump = (draft: Counter) => void (draft.n += 1);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Cuts every watcher's subscription and keeps the watchers away while `during` runs: the server
 * refuses new connections (those already open, the writers' included, stay) from before the cut
 * until `during` is done, so a watcher comes back only after it however slow the machine is (a
 * reconnect delay alone raced it: the watcher came back in the middle of 20 writes).
 */
async function withWatchersAway(during: () => Promise<void>): Promise<void> {
  const [, maxClients] = (await raw.call('CONFIG', 'GET', 'maxclients')) as [string, string];
  await raw.call('CONFIG', 'SET', 'maxclients', '1');
  try {
    await raw.call('CLIENT', 'KILL', 'TYPE', 'pubsub');
    await during();
  } finally {
    await raw.call('CONFIG', 'SET', 'maxclients', maxClients);
  }
}

describe('watch', () => {
  it('delivers every revision once and in order to a reader slower than the writer', async () => {
    const writer = openRedisDocument<Counter>(server.url('slow-reader'), { create: () => ({ n: 0 }) });
    const reader = openRedisDocument<Counter>(server.url('slow-reader'));
    await writer.update(bump);
    const seen: RedisSnapshot<Counter>[] = [];
    const stop = reader.watch(async (snapshot) => {
      seen.push(snapshot);
      await sleep(5);
    });
    await waitUntil(() => seen.length === 1, 'the immediate snapshot');
    for (let i = 0; i < 100; i += 1) await writer.update(bump);
    await waitUntil(() => seen.at(-1)?.revision === 101, 'revision 101');
    expect(seen.map((s) => s.revision)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    expect(seen.map((s) => s.value.n)).toEqual(Array.from({ length: 101 }, (_, i) => i + 1));
    expect(seen.some((s) => s.gap)).toBe(false);
    stop();
    await Promise.all([writer.close(), reader.close()]);
  });

  it('fills revisions missed while its connection was cut from history, flagged as catch-up', async () => {
    const writer = openRedisDocument<Counter>(server.url('cut-subscriber'), { create: () => ({ n: 0 }) });
    // Retries every 300 ms while it is refused, so it is back soon after the writes.
    const reader = openRedisDocument<Counter>(server.url('cut-subscriber'), { reconnect: { baseDelayMs: 300, factor: 1, jitter: 0 } });
    await writer.update(bump);
    const seen: RedisSnapshot<Counter>[] = [];
    reader.watch((snapshot) => void seen.push(snapshot));
    await waitUntil(() => seen.length === 1, 'the immediate snapshot');
    await withWatchersAway(async () => {
      for (let i = 0; i < 20; i += 1) await writer.update(bump);
    });
    await waitUntil(() => seen.at(-1)?.revision === 21, 'revision 21');
    expect(seen.map((s) => s.revision)).toEqual(Array.from({ length: 21 }, (_, i) => i + 1));
    // All 20 were committed while the watcher was away: every one of them came from history.
    expect(seen.slice(1).every((s) => s.catchUp === true)).toBe(true);
    expect(seen.some((s) => s.gap)).toBe(false);
    // Live delivery resumes after the catch-up.
    await writer.update(bump);
    await waitUntil(() => seen.at(-1)?.revision === 22, 'revision 22');
    expect(seen.at(-1)?.catchUp).toBeUndefined();
    await Promise.all([writer.close(), reader.close()]);
  });

  it('reports revisions that history no longer holds as an explicit gap', async () => {
    const writer = openRedisDocument<Counter>(server.url('gap'), { create: () => ({ n: 0 }), historyLength: 5 });
    const reader = openRedisDocument<Counter>(server.url('gap'), { reconnect: { baseDelayMs: 300, factor: 1, jitter: 0 } });
    await writer.update(bump);
    const seen: RedisSnapshot<Counter>[] = [];
    reader.watch((snapshot) => void seen.push(snapshot));
    await waitUntil(() => seen.length === 1, 'the immediate snapshot');
    // The watcher cannot come back in the middle of the 20 writes, however slow the machine is.
    await withWatchersAway(async () => {
      for (let i = 0; i < 20; i += 1) await writer.update(bump);
    });
    await waitUntil(() => seen.at(-1)?.revision === 21, 'revision 21');
    // History keeps revisions 17…21; 2…16 were committed while the reader was away and are gone.
    expect(seen.map((s) => s.revision)).toEqual([1, 17, 18, 19, 20, 21]);
    expect(seen[1]?.gap).toEqual({ from: 2, to: 16 });
    expect(seen[1]?.catchUp).toBe(true);
    await Promise.all([writer.close(), reader.close()]);
  });

  it('with immediate: false delivers this handle\'s next commit, even one made before the watch is set up, and nothing after unsubscribe', async () => {
    const doc = openRedisDocument<Counter>(server.url('unsubscribe'), { create: () => ({ n: 0 }) });
    await doc.update(bump);
    const seen: RedisSnapshot<Counter>[] = [];
    const stop = doc.watch((snapshot) => void seen.push(snapshot), { immediate: false });
    // Sent before the watcher has subscribed, on the connection its starting read will use later:
    // the commit lands before that read, and still counts as after watch().
    await doc.update(bump);
    await waitUntil(() => seen.length === 1, 'revision 2');
    stop();
    await doc.update(bump);
    await sleep(200);
    expect(seen.map((s) => [s.revision, s.value.n])).toEqual([[2, 2]]);
    await doc.close();
  });
});
