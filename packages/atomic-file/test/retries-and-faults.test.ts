import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicFileError, nodeFileSystem, openJsonFile, type ProtocolStep, type StoreEvent } from '../src/index.js';
import { failingRename, faultyFs, makeTempDir, osError, removeTempDirs, tempLeftovers } from './helpers.js';

afterAll(removeTempDirs);

interface Doc {
  n: number;
  revision?: number;
}

function seeded(content: Doc = { n: 1, revision: 1 }): { dir: string; file: string; before: Buffer } {
  const dir = makeTempDir();
  const file = join(dir, 'doc.json');
  writeFileSync(file, `${JSON.stringify(content)}\n`);
  return { dir, file, before: readFileSync(file) };
}

async function rejection(promise: Promise<unknown>): Promise<AtomicFileError> {
  const error = await promise.then(
    () => {
      throw new Error('expected the promise to reject');
    },
    (e: unknown) => e,
  );
  if (!AtomicFileError.isInstance(error)) throw error;
  return error;
}

const FAST_RETRY = { attempts: 5, baseDelayMs: 1, factor: 2, maxDelayMs: 4, jitter: 0, deadlineMs: 1000 };

describe('rename refused the way Windows refuses it while another process has the file open', () => {
  it('EPERM 4 times then success: committed with the default retry policy, 4 retry events', async () => {
    const { dir, file } = seeded();
    const { fs, calls } = failingRename(file, 'EPERM', 4);
    const events: StoreEvent[] = [];
    const doc = openJsonFile<Doc>(file, { fs, onEvent: (e) => events.push(e) });
    const commit = await doc.update((d) => {
      d.n = 2;
    });
    await doc.close();
    expect(commit.value).toMatchObject({ n: 2, revision: 2 });
    expect(calls()).toBe(5);
    const retries = events.filter((e) => e.type === 'retry');
    expect(retries.map((e) => e.type === 'retry' && [e.op, e.code, e.attempt])).toEqual([
      ['rename', 'EPERM', 1],
      ['rename', 'EPERM', 2],
      ['rename', 'EPERM', 3],
      ['rename', 'EPERM', 4],
    ]);
    // Defaults at least as patient as 50, 100, 200, 400 ms.
    expect(retries.map((e) => (e.type === 'retry' ? e.delayMs : 0)).every((d, i) => d >= 50 * 2 ** i)).toBe(true);
    expect(doc.stats().retries).toBe(4);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ n: 2 });
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('EBUSY forever: WRITE_FAILED naming file, operation, attempts and the OS error; old file intact; no temp file', async () => {
    const { dir, file, before } = seeded();
    const { fs } = failingRename(file, 'EBUSY', Number.POSITIVE_INFINITY);
    const doc = openJsonFile<Doc>(file, { fs, retry: FAST_RETRY });
    const error = await rejection(
      doc.update((d) => {
        d.n = 99;
      }),
    );
    await doc.close();
    expect(error).toMatchObject({ code: 'WRITE_FAILED', path: file, operation: 'rename', attempts: 5 });
    expect((error.cause as NodeJS.ErrnoException).code).toBe('EBUSY');
    expect(error.message).toContain(file);
    expect(error.message).toContain('5 attempts');
    expect(readFileSync(file)).toEqual(before);
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('EXDEV on rename is not retried: WRITE_FAILED after 1 attempt, old file intact', async () => {
    const { dir, file, before } = seeded();
    const { fs, calls } = failingRename(file, 'EXDEV', Number.POSITIVE_INFINITY);
    const doc = openJsonFile<Doc>(file, { fs, retry: FAST_RETRY });
    const error = await rejection(doc.write({ n: 5 }));
    expect(error).toMatchObject({ code: 'WRITE_FAILED', attempts: 1 });
    expect(calls()).toBe(1);
    expect(readFileSync(file)).toEqual(before);
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('EMFILE on opening the temp file is retried', async () => {
    const { file } = seeded();
    let failures = 0;
    const fs = faultyFs({
      openSync: (path, flags, mode) => {
        if (flags === 'wx' && path.endsWith('.tmp') && failures < 2) {
          failures += 1;
          throw osError('EMFILE', 'open', path);
        }
        return nodeFileSystem.openSync(path, flags, mode);
      },
    });
    const doc = openJsonFile<Doc>(file, { fs, retry: FAST_RETRY });
    const commit = await doc.write({ n: 7 });
    expect(commit.value.n).toBe(7);
    expect(failures).toBe(2);
  });
});

describe('a crash (an exception) between any two protocol steps', () => {
  const steps: ProtocolStep[] = ['lock-acquired', 'temp-created', 'temp-written', 'temp-synced', 'backup-saved', 'before-publish'];
  for (const step of steps) {
    it(`at "${step}": the update fails, the old file is byte-identical, the lock is free and no temp file remains`, async () => {
      const { dir, file, before } = seeded();
      const fs = faultyFs({
        step: (name) => {
          if (name === step) throw new Error(`simulated crash at ${name}`);
        },
      });
      const doc = openJsonFile<Doc>(file, { fs });
      const error = await doc.write({ n: 2 }).then(
        () => null,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(Error);
      expect(readFileSync(file)).toEqual(before);
      expect(tempLeftovers(dir)).toEqual([]);
      expect(existsSync(`${file}.lock`)).toBe(false);
      // The next writer is not blocked.
      const next = await openJsonFile<Doc>(file).write({ n: 3 });
      expect(next.value.n).toBe(3);
    });
  }

  it('at "published": the new file is already whole and valid', async () => {
    const { file } = seeded();
    const fs = faultyFs({
      step: (name) => {
        if (name === 'published') throw new Error('simulated crash after the rename');
      },
    });
    await openJsonFile<Doc>(file, { fs }).write({ n: 2 }).catch((e: unknown) => e);
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ n: 2, revision: 2 });
  });
});

describe('fencing', () => {
  it('a holder whose lock record vanished before publishing gets LOCK_COMPROMISED and writes nothing', async () => {
    const { dir, file, before } = seeded();
    const fs = faultyFs({
      step: (name) => {
        if (name === 'before-publish') {
          const lockDir = `${file}.lock`;
          for (const entry of nodeFileSystem.readdirSync(lockDir)) rmSync(join(lockDir, entry));
        }
      },
    });
    const doc = openJsonFile<Doc>(file, { fs });
    const error = await rejection(doc.write({ n: 2 }));
    expect(error.code).toBe('LOCK_COMPROMISED');
    expect(readFileSync(file)).toEqual(before);
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('a holder whose file was replaced by someone else meanwhile gets LOCK_COMPROMISED and the other data stays', async () => {
    const { file } = seeded();
    const intruder = '{"n":42,"revision":9}\n';
    const fs = faultyFs({
      step: (name) => {
        if (name !== 'before-publish') return;
        writeFileSync(`${file}.other`, intruder);
        nodeFileSystem.renameSync(`${file}.other`, file);
      },
    });
    const error = await rejection(openJsonFile<Doc>(file, { fs }).write({ n: 2 }));
    expect(error.code).toBe('LOCK_COMPROMISED');
    expect(readFileSync(file, 'utf8')).toBe(intruder);
  });
});

describe('a full disk (injected: short writes, then ENOSPC)', () => {
  it('raises WRITE_FAILED with ENOSPC, keeps the old file byte-identical, leaves no temp file', async () => {
    const { dir, file, before } = seeded();
    let writes = 0;
    const fs = faultyFs({
      writeSync: (fd, buffer, offset, length, position) => {
        writes += 1;
        if (writes === 1) return nodeFileSystem.writeSync(fd, buffer, offset, Math.min(length, 7), position);
        throw osError('ENOSPC', 'write', 'temp');
      },
    });
    const error = await rejection(openJsonFile<Doc>(file, { fs }).write({ n: 123456789 }));
    expect(error.code).toBe('WRITE_FAILED');
    expect((error.cause as NodeJS.ErrnoException).code).toBe('ENOSPC');
    expect(readFileSync(file)).toEqual(before);
    expect(tempLeftovers(dir)).toEqual([]);
  });

  it('short writes alone are completed: every byte reaches the file', async () => {
    const { file } = seeded();
    const fs = faultyFs({
      writeSync: (fd, buffer, offset, length, position) => nodeFileSystem.writeSync(fd, buffer, offset, Math.min(length, 3), position),
    });
    const long = 'x'.repeat(1000);
    await openJsonFile<Doc & { long: string }>(file, { fs }).write({ n: 2, long });
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ n: 2, long });
  });
});
