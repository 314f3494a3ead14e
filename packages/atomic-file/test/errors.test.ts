import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicFileError, openJsonFile, type StoreEvent } from '../src/index.js';
import { makeTempDir, removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);

interface Doc {
  n: number;
}

describe('AtomicFileError', () => {
  it('is recognised across duplicate installs by its Symbol.for marker, and keeps code, path and cause', () => {
    const cause = new Error('EBUSY');
    const error = new AtomicFileError('WRITE_FAILED', 'msg', { path: '/x', operation: 'rename', attempts: 3, cause });
    expect(error).toMatchObject({ name: 'AtomicFileError', code: 'WRITE_FAILED', path: '/x', operation: 'rename', attempts: 3 });
    expect(error.cause).toBe(cause);
    const fromOtherCopy = { [Symbol.for('@rail/atomic-file.error')]: true, code: 'CORRUPT' };
    expect(AtomicFileError.isInstance(fromOtherCopy)).toBe(true);
    expect(AtomicFileError.isInstance(new Error('plain'))).toBe(false);
    expect(AtomicFileError.isInstance(null)).toBe(false);
  });
});

describe('errors reach exactly the caller they concern', () => {
  it('a throwing updater rejects only its caller with UPDATER_FAILED (cause kept); the others commit', async () => {
    const file = join(makeTempDir(), 'doc.json');
    const doc = openJsonFile<Doc>(file, { create: () => ({ n: 0 }) });
    const boom = new Error('boom');
    const results = await Promise.allSettled([
      doc.update((d) => {
        d.n += 1;
      }),
      doc.update((d) => {
        d.n += 100;
        throw boom;
      }),
      doc.update((d) => {
        d.n += 1;
      }),
    ]);
    await doc.close();
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    const failure = (results[1] as PromiseRejectedResult).reason as AtomicFileError;
    expect(failure.code).toBe('UPDATER_FAILED');
    expect(failure.cause).toBe(boom);
    expect((await openJsonFile<Doc>(file).read()).value.n).toBe(2);
  });

  it('LOCK_TIMEOUT names the live holder when the lock stays held past timeoutMs', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    writeFileSync(file, '{"n":1}');
    mkdirSync(`${file}.lock`);
    // This very process holds it under another token: alive, and its record is fresh.
    writeFileSync(join(`${file}.lock`, 'feedfacefeedface.json'), JSON.stringify({ pid: process.pid, host: hostname(), token: 'feedfacefeedface', acquiredAt: Date.now(), label: 'wayside' }));
    const events: StoreEvent[] = [];
    // slowLockMs 0: the slow-lock report comes with the first look that finds the lock held, so no
    // pause of this process can skip from before the threshold to past the deadline without it.
    const doc = openJsonFile<Doc>(file, { lock: { timeoutMs: 150, staleMs: 60_000, slowLockMs: 0 }, onEvent: (e) => events.push(e) });
    const error = await doc.update((d) => d).then(
      () => null,
      (e: unknown) => e as AtomicFileError,
    );
    expect(error).toMatchObject({ code: 'LOCK_TIMEOUT', path: file });
    expect(error?.message).toContain(`pid ${process.pid}`);
    expect(error?.message).toContain('wayside');
    expect(events.find((e) => e.type === 'slow-lock')).toMatchObject({ owner: { pid: process.pid, label: 'wayside' } });
    await doc.close();
  });

  it('after close(), calls reject with CLOSED', async () => {
    const doc = openJsonFile<Doc>(join(makeTempDir(), 'doc.json'), { create: () => ({ n: 0 }) });
    await doc.close();
    await expect(doc.update((d) => d)).rejects.toMatchObject({ code: 'CLOSED' });
    await expect(doc.read()).rejects.toMatchObject({ code: 'CLOSED' });
  });

  it('close() waits for queued updates to be committed', async () => {
    const file = join(makeTempDir(), 'doc.json');
    const doc = openJsonFile<Doc>(file, { create: () => ({ n: 0 }) });
    const pending = Array.from({ length: 5 }, () =>
      doc.update((d) => {
        d.n += 1;
      }),
    );
    await doc.close();
    expect((await Promise.all(pending)).length).toBe(5);
    expect((await openJsonFile<Doc>(file).read()).value.n).toBe(5);
  });
});

describe('mistakes in the call', () => {
  const caught = (run: () => unknown): AtomicFileError => {
    try {
      run();
    } catch (error) {
      if (AtomicFileError.isInstance(error)) return error;
      throw error;
    }
    throw new Error('expected an AtomicFileError');
  };

  it('are reported when the file is opened, as INVALID_OPTIONS saying what to pass', () => {
    const file = join(makeTempDir(), 'doc.json');
    const create = caught(() => openJsonFile<Doc>(file, { create: { n: 0 } as unknown as () => Doc }));
    expect(create.code).toBe('INVALID_OPTIONS');
    expect(create.message).toContain('option create must be a function (got object): pass create: () => initialValue');
    expect(caught(() => openJsonFile('')).message).toContain('the path must be a non-empty string');
    expect(caught(() => openJsonFile(file, { durability: 'fast' as 'durable' })).code).toBe('INVALID_OPTIONS');
    expect(caught(() => openJsonFile(file, { retry: { attempts: 0 } })).code).toBe('INVALID_OPTIONS');
  });

  it('an update without a function, or with a negative timeout, is refused as INVALID_OPTIONS and nothing is written', async () => {
    const file = join(makeTempDir(), 'doc.json');
    const doc = openJsonFile<Doc>(file, { create: () => ({ n: 0 }) });
    const noFn = await doc.update({ n: 1 } as unknown as () => Doc).then(() => null, (e: unknown) => e);
    const negative = await doc.update((d) => void (d.n += 1), { timeoutMs: -1 }).then(() => null, (e: unknown) => e);
    await doc.close();
    expect(noFn).toMatchObject({ code: 'INVALID_OPTIONS', message: `update(fn) on ${file} needs a function (got object); to replace the whole document use write(value).` });
    expect(negative).toMatchObject({ code: 'INVALID_OPTIONS', message: `update on ${file}: timeoutMs must be a number of milliseconds >= 0 (got -1).` });
    expect(existsSync(file)).toBe(false);
  });

  it('a validator that throws gives a VALIDATION error naming the file, keeps the cause, and nothing is written', async () => {
    const file = join(makeTempDir(), 'doc.json');
    const boom = new Error('boom');
    const doc = openJsonFile<Doc>(file, {
      create: () => ({ n: 0 }),
      validate: () => {
        throw boom;
      },
    });
    const error = await doc.update((d) => void (d.n += 1)).then(
      () => null,
      (e: unknown) => e,
    );
    await doc.close();
    expect(AtomicFileError.isInstance(error)).toBe(true);
    expect(error).toMatchObject({ code: 'VALIDATION', path: file, cause: boom });
    expect((error as Error).message).toContain('a validator must return true or false');
    expect(existsSync(file)).toBe(false);
  });
});

describe('a file in a folder that does not exist', () => {
  it('is a WRITE_FAILED that names the missing folder, and nothing is created', async () => {
    const base = makeTempDir();
    const file = join(base, 'missing', 'doc.json');
    const doc = openJsonFile<Doc>(file, { create: () => ({ n: 0 }) });
    const error = await doc.update((d) => void (d.n += 1)).then(
      () => null,
      (e: unknown) => e,
    );
    await doc.close();
    expect(error).toMatchObject({ code: 'WRITE_FAILED', message: `The folder ${join(base, 'missing')} of ${file} does not exist: create it first. Nothing was written.` });
    expect(existsSync(join(base, 'missing'))).toBe(false);
  });
});
