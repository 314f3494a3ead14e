import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openRedisDocument, RedisStoreError, type DocumentValidator } from '../src/index.js';
import { startRedisServer, type RedisServer } from '../src/testing.js';

interface Train {
  speedMps: number;
  revision?: number;
  updatedAt?: string;
}

const isTrain: DocumentValidator = Object.assign(
  (value: unknown) => typeof (value as Train)?.speedMps === 'number' && (value as Train).speedMps >= 0,
  {
    issues: (value: unknown) => [{ path: '/speedMps', rule: 'minimum', message: `must be >= 0, found ${String((value as Train)?.speedMps)}` }],
  },
);

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

async function rejection(promise: Promise<unknown>): Promise<RedisStoreError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  if (!RedisStoreError.isInstance(error)) throw new Error(`expected a RedisStoreError, got ${String(error)}`);
  return error;
}

describe('reading', () => {
  it('reports a missing key as NOT_FOUND when no create() is given', async () => {
    const doc = openRedisDocument<Train>(server.url('missing'));
    const error = await rejection(doc.read());
    expect(error.code).toBe('NOT_FOUND');
    expect(error.message).toContain('missing');
    await doc.close();
  });

  it('returns create() at revision 0 for a missing key, without writing it', async () => {
    const doc = openRedisDocument<Train>(server.url('fresh'), { create: () => ({ speedMps: 0 }) });
    expect(await doc.read()).toEqual({ value: { speedMps: 0 }, revision: 0 });
    expect(await raw.exists('fresh')).toBe(0);
    await doc.close();
  });

  it('refuses a stored document that is not JSON with CORRUPT, and does not overwrite it', async () => {
    await raw.hset('broken', 'doc', '{"speedMps": 3', 'rev', '7');
    const doc = openRedisDocument<Train>(server.url('broken'), { validate: isTrain });
    expect((await rejection(doc.read())).code).toBe('CORRUPT');
    const error = await rejection(doc.update((draft) => void (draft.speedMps = 1)));
    expect(error.code).toBe('CORRUPT');
    expect(error.outcome).toBe('not-applied');
    expect(await raw.hgetall('broken')).toEqual({ doc: '{"speedMps": 3', rev: '7' });
    await doc.close();
  });

  it('refuses a stored document that fails validation with CORRUPT and its issues', async () => {
    await raw.hset('invalid', 'doc', '{"speedMps": -4}', 'rev', '2');
    const doc = openRedisDocument<Train>(server.url('invalid'), { validate: isTrain });
    const error = await rejection(doc.read());
    expect(error.code).toBe('CORRUPT');
    expect(error.issues[0]?.path).toBe('/speedMps');
    await doc.close();
  });
});

describe('updating', () => {
  it('creates the key on the first update and raises the revision by one per update', async () => {
    const doc = openRedisDocument<Train>(server.url('counting'), { create: () => ({ speedMps: 0 }) });
    const first = await doc.update((draft) => void (draft.speedMps += 2.5));
    const second = await doc.update((draft) => ({ speedMps: draft.speedMps * 2 }));
    expect(first.revision).toBe(1);
    expect(second.revision).toBe(2);
    expect(second.value.speedMps).toBe(5);
    expect(second.value.revision).toBe(2);
    expect(Number.isNaN(Date.parse(second.value.updatedAt ?? ''))).toBe(false);
    const stored = await raw.hgetall('counting');
    expect(stored.rev).toBe('2');
    expect(JSON.parse(stored.doc ?? 'null')).toEqual(second.value);
    await doc.close();
  });

  it('leaves the revision and updatedAt fields alone when they are disabled', async () => {
    const doc = openRedisDocument<Train>(server.url('plain'), {
      create: () => ({ speedMps: 0 }),
      revisionKey: false,
      updatedAtKey: false,
    });
    const commit = await doc.update((draft) => void (draft.speedMps = 1));
    expect(commit.value).toEqual({ speedMps: 1 });
    expect(commit.revision).toBe(1);
    await doc.close();
  });

  it('rejects an invalid result with VALIDATION and writes nothing', async () => {
    const doc = openRedisDocument<Train>(server.url('validated'), { validate: isTrain, create: () => ({ speedMps: 0 }) });
    await doc.update((draft) => void (draft.speedMps = 10));
    const before = await raw.hgetall('validated');
    const error = await rejection(doc.update((draft) => void (draft.speedMps = -1)));
    expect(error.code).toBe('VALIDATION');
    expect(error.outcome).toBe('not-applied');
    expect(error.issues).toEqual([{ path: '/speedMps', rule: 'minimum', message: 'must be >= 0, found -1' }]);
    expect(await raw.hgetall('validated')).toEqual(before);
    expect((await doc.read()).revision).toBe(1);
    await doc.close();
  });

  it('rejects with UPDATER_FAILED keeping the cause when the updater throws, and writes nothing', async () => {
    const doc = openRedisDocument<Train>(server.url('throwing'), { create: () => ({ speedMps: 0 }) });
    await doc.update((draft) => void (draft.speedMps = 1));
    const boom = new Error('sensor offline');
    const error = await rejection(
      doc.update(() => {
        throw boom;
      }),
    );
    expect(error.code).toBe('UPDATER_FAILED');
    expect(error.cause).toBe(boom);
    expect((await doc.read()).revision).toBe(1);
    await doc.close();
  });

  it('commits the valid updates queued together and rejects only the invalid one', async () => {
    const doc = openRedisDocument<Train>(server.url('batched'), { validate: isTrain, create: () => ({ speedMps: 0 }) });
    const results = await Promise.allSettled([
      doc.update((draft) => void (draft.speedMps += 1)),
      doc.update((draft) => void (draft.speedMps = -50)),
      doc.update((draft) => void (draft.speedMps += 1)),
    ]);
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((await doc.read()).value.speedMps).toBe(2);
    await doc.close();
  });

  it('write() replaces the whole document and still raises the revision', async () => {
    const doc = openRedisDocument<Train>(server.url('replaced'), { create: () => ({ speedMps: 3 }) });
    await doc.update((draft) => void (draft.speedMps = 4));
    const value = { speedMps: 9 };
    const commit = await doc.write(value);
    expect(commit.revision).toBe(2);
    expect((await doc.read()).value.speedMps).toBe(9);
    expect(value).toEqual({ speedMps: 9 });
    await doc.close();
  });

  it('two handles never lose each other’s increments', async () => {
    const a = openRedisDocument<Train>(server.url('two-handles'), { create: () => ({ speedMps: 0 }) });
    const b = openRedisDocument<Train>(server.url('two-handles'), { create: () => ({ speedMps: 0 }) });
    const bump = (draft: Train) => void (draft.speedMps += 1);
    await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 === 0 ? a : b).update(bump)));
    expect((await a.read()).value.speedMps).toBe(50);
    await Promise.all([a.close(), b.close()]);
  });
});

describe('closing', () => {
  it('waits for queued updates, then rejects every call with CLOSED', async () => {
    const doc = openRedisDocument<Train>(server.url('closing'), { create: () => ({ speedMps: 0 }) });
    const pending = doc.update((draft) => void (draft.speedMps = 7));
    await doc.close();
    expect((await pending).revision).toBe(1);
    expect((await rejection(doc.update((draft) => draft))).code).toBe('CLOSED');
    expect(() => doc.watch(() => undefined)).toThrow(/closed/);
    expect(await raw.hget('closing', 'rev')).toBe('1');
  });
});

describe('RedisStoreError', () => {
  it('is recognised by its marker even from another copy of the package', () => {
    const foreign = Object.assign(new Error('x'), { [Symbol.for('@rail/redis-store.error')]: true });
    expect(RedisStoreError.isInstance(foreign)).toBe(true);
    expect(RedisStoreError.isInstance(new Error('x'))).toBe(false);
    const error = new RedisStoreError('TIMEOUT', 'm', { cause: 'c', outcome: 'unknown', token: 't' });
    expect([error.name, error.code, error.cause, error.outcome, error.token]).toEqual(['RedisStoreError', 'TIMEOUT', 'c', 'unknown', 't']);
  });
});

describe('the update queue', () => {
  it('sends an update queued a few microtasks after the previous one resolved (no lost wake-up)', async () => {
    const doc = openRedisDocument<Train>(server.url('queue-wakeup'), { create: () => ({ speedMps: 0 }) });
    // An async wrapper resumes its caller a few microtasks after update() resolves: exactly the
    // moment the queue used to be still marked busy, so the next update was queued and never sent.
    const increment = async () => (await doc.update((d) => void (d.speedMps += 1))).revision;
    const revisions: number[] = [];
    const run = (async () => {
      for (let i = 0; i < 20; i += 1) revisions.push(await increment());
    })();
    const outcome = await Promise.race([run.then(() => 'done'), new Promise((resolve) => setTimeout(() => resolve('stuck'), 10_000))]);
    expect({ outcome, revisions: revisions.length }).toEqual({ outcome: 'done', revisions: 20 });
    expect((await doc.read()).value.speedMps).toBe(20);
    await doc.close();
  });
});
