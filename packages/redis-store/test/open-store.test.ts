import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore, RedisDocument, RedisStoreError } from '../src/index.js';
import { startRedisServer, type RedisServer } from '../src/testing.js';

interface Counter {
  n: number;
}

let server: RedisServer;
let dir: string;
beforeAll(async () => {
  server = await startRedisServer();
  dir = mkdtempSync(join(tmpdir(), 'rail-open-store-'));
});
afterAll(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

describe('openStore', () => {
  it('opens a redis:// URL as a Redis document', async () => {
    const doc = openStore<Counter>(server.url('via-url'), { create: () => ({ n: 0 }) });
    expect(doc).toBeInstanceOf(RedisDocument);
    expect((await doc.update((draft) => void (draft.n += 1))).revision).toBe(1);
    await doc.close();
  });

  it.each([
    ['file:./state.json', 'state.json'],
    ['bare.json', 'bare.json'],
  ])('opens %s as the file store under cwd, with the same update contract', async (url, name) => {
    const doc = openStore<Counter>(url, { create: () => ({ n: 0 }), cwd: dir });
    expect(doc).not.toBeInstanceOf(RedisDocument);
    const commit = await doc.update((draft) => void (draft.n += 1));
    expect(commit.revision).toBe(1);
    await doc.close();
    const onDisk = JSON.parse(readFileSync(join(dir, name), 'utf8')) as Counter & { revision: number };
    expect(onDisk.n).toBe(1);
    expect(onDisk.revision).toBe(1);
  });

  it('rejects an unknown scheme with BAD_URL before opening anything', () => {
    let caught: unknown;
    try {
      openStore('sqlite:./x.db');
    } catch (error) {
      caught = error;
    }
    expect(RedisStoreError.isInstance(caught) && caught.code).toBe('BAD_URL');
  });
});
