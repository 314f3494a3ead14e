import { existsSync, readdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicFileError, backupPath, openJsonFile, type StoreEvent } from '../src/index.js';
import { makeTempDir, removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);

interface Train {
  speedMps: number;
  revision?: number;
  updatedAt?: string;
}

/** A validator shaped like @rail/schema's isTrainData: a guard with `.issues()`. */
const isTrain = Object.assign(
  (value: unknown): boolean => typeof value === 'object' && value !== null && typeof (value as Train).speedMps === 'number' && (value as Train).speedMps >= 0,
  {
    issues: (value: unknown) =>
      typeof value === 'object' && value !== null && typeof (value as Train).speedMps === 'number'
        ? [{ path: '/speedMps', message: 'must be >= 0', rule: 'minimum' }]
        : [{ path: '/speedMps', message: 'is required', rule: 'required' }],
  },
);

async function committedTwice(file: string): Promise<void> {
  const doc = openJsonFile<Train>(file, { validate: isTrain, create: () => ({ speedMps: 0 }) });
  await doc.write({ speedMps: 10 });
  await doc.write({ speedMps: 12.5 });
  await doc.close();
}

async function rejection(promise: Promise<unknown>): Promise<AtomicFileError> {
  const error = await promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
  if (!AtomicFileError.isInstance(error)) throw error;
  return error;
}

describe('backup', () => {
  it('keeps the previous committed state as <file>.backup', async () => {
    const file = join(makeTempDir(), 'train.json');
    await committedTwice(file);
    expect(backupPath(file)).toBe(`${file}.backup`);
    expect(JSON.parse(readFileSync(backupPath(file), 'utf8'))).toMatchObject({ speedMps: 10, revision: 1 });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ speedMps: 12.5, revision: 2 });
  });
});

describe('a corrupt primary', () => {
  for (const [what, bytes] of [
    ['truncated JSON', '{"speedMps": 12'],
    ['an empty file', ''],
    ['merge-conflict markers', '<<<<<<< HEAD\n{"speedMps": 1}\n=======\n{"speedMps": 2}\n>>>>>>> other\n'],
    ['a value the validator rejects', '{"speedMps": -4, "revision": 7}'],
  ] as const) {
    it(`(${what}) is restored from the backup by the next update, the bad bytes quarantined, a restore event emitted`, async () => {
      const dir = makeTempDir();
      const file = join(dir, 'train.json');
      await committedTwice(file);
      writeFileSync(file, bytes);
      const events: StoreEvent[] = [];
      const doc = openJsonFile<Train>(file, { validate: isTrain, onEvent: (e) => events.push(e) });

      // read() never writes: it serves the backup and reports it.
      const snapshot = await doc.read();
      expect(snapshot).toMatchObject({ value: { speedMps: 10 }, revision: 1 });
      expect(readFileSync(file, 'utf8')).toBe(bytes);
      expect(events.filter((e) => e.type === 'restore')).toHaveLength(1);

      const commit = await doc.update((d) => {
        d.speedMps += 1;
      });
      await doc.close();
      // Continues past revision 2, which the corrupt primary had and readers may have seen.
      expect(commit.value).toMatchObject({ speedMps: 11, revision: 3 });
      const restore = events.filter((e) => e.type === 'restore')[1];
      expect(restore).toMatchObject({ type: 'restore', path: file, from: backupPath(file) });
      const quarantined = restore?.type === 'restore' ? restore.quarantinedTo : null;
      expect(quarantined).not.toBeNull();
      expect(readFileSync(quarantined!, 'utf8')).toBe(bytes);
      // The backup still holds the last good state, not the corrupt bytes.
      expect(JSON.parse(readFileSync(backupPath(file), 'utf8'))).toMatchObject({ speedMps: 10 });
      expect(doc.stats().restores).toBe(1);
    });
  }

  it('is repaired under a revision a watcher has not seen yet, so the watcher delivers the repair', async () => {
    const file = join(makeTempDir(), 'train.json');
    await committedTwice(file);
    const watcherDoc = openJsonFile<Train>(file, { validate: isTrain });
    const seen: number[] = [];
    const stop = watcherDoc.watch((snapshot) => seen.push(snapshot.revision));
    await new Promise((r) => setTimeout(r, 50));
    expect(seen).toEqual([2]);

    writeFileSync(file, '{"speedMps": 1');
    const writer = openJsonFile<Train>(file, { validate: isTrain });
    const commit = await writer.update((d) => {
      d.speedMps += 1;
    });
    await writer.close();
    for (let i = 0; i < 100 && !seen.includes(commit.revision); i += 1) await new Promise((r) => setTimeout(r, 20));
    stop();
    await watcherDoc.close();
    expect(commit.revision).toBe(3);
    expect(seen).toEqual([2, 3]);
  });

  it('and a corrupt backup: CORRUPT naming both files, and nothing is written', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'train.json');
    await committedTwice(file);
    writeFileSync(file, '{"speedMps": ');
    writeFileSync(backupPath(file), '');
    const namesBefore = readdirSync(dir).sort();
    const doc = openJsonFile<Train>(file, { validate: isTrain, create: () => ({ speedMps: 0 }) });
    const readError = await rejection(doc.read());
    expect(readError.code).toBe('CORRUPT');
    const error = await rejection(doc.write({ speedMps: 3 }));
    await doc.close();
    expect(error.code).toBe('CORRUPT');
    expect(error.message).toContain(file);
    expect(error.message).toContain(backupPath(file));
    expect(readFileSync(file, 'utf8')).toBe('{"speedMps": ');
    expect(readdirSync(dir).sort()).toEqual(namesBefore);
  });

  it('missing while its backup exists: restored from the backup, not recreated from create()', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'train.json');
    await committedTwice(file);
    unlinkSync(file);
    const doc = openJsonFile<Train>(file, { validate: isTrain, create: () => ({ speedMps: 0 }) });
    const commit = await doc.update((d) => {
      d.speedMps *= 2;
    });
    await doc.close();
    // The missing primary had revision 2 (readers may have seen it): the repair continues past it.
    expect(commit.value).toMatchObject({ speedMps: 20, revision: 3 });
  });
});

describe('validation', () => {
  it('rejects an invalid write with the validator’s message and leaves the file byte-identical', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'train.json');
    await committedTwice(file);
    const before = readFileSync(file);
    const doc = openJsonFile<Train>(file, { validate: isTrain });
    const error = await rejection(doc.write({ speedMps: -1 }));
    await doc.close();
    expect(error.code).toBe('VALIDATION');
    expect(error.message).toContain('/speedMps: must be >= 0');
    expect(error.issues).toEqual([{ path: '/speedMps', message: 'must be >= 0', rule: 'minimum' }]);
    expect(readFileSync(file)).toEqual(before);
  });

  it('stamps revision and updatedAt before validating, so a schema requiring them passes', async () => {
    const file = join(makeTempDir(), 'train.json');
    const requiresStamps = (v: unknown) => typeof (v as Train).revision === 'number' && /^\d{4}-\d\d-\d\dT.*Z$/.test(String((v as Train).updatedAt));
    const commit = await openJsonFile<Train>(file, { validate: requiresStamps }).write({ speedMps: 1 });
    expect(commit.revision).toBe(1);
  });
});

describe('missing file', () => {
  it('without create: update rejects NOT_FOUND and creates nothing; write() creates it', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'train.json');
    const doc = openJsonFile<Train>(file);
    expect((await rejection(doc.read())).code).toBe('NOT_FOUND');
    expect((await rejection(doc.update((d) => d))).code).toBe('NOT_FOUND');
    expect(existsSync(file)).toBe(false);
    expect((await doc.write({ speedMps: 4 })).revision).toBe(1);
    await doc.close();
  });

  it('with create: the initial value is read without writing, and written by the first update', async () => {
    const file = join(makeTempDir(), 'train.json');
    const doc = openJsonFile<Train>(file, { create: () => ({ speedMps: 0 }) });
    expect(await doc.read()).toEqual({ value: { speedMps: 0 }, revision: 0 });
    expect(existsSync(file)).toBe(false);
    const commit = await doc.update((d) => {
      d.speedMps = 3;
    });
    expect(commit.value).toMatchObject({ speedMps: 3, revision: 1 });
    await doc.close();
  });
});
