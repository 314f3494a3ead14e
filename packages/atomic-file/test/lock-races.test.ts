import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicFileError, listTempFiles, nodeFileSystem, openJsonFile, readLockOwner } from '../src/index.js';
import { makeTempDir, osError, removeTempDirs, startWorker } from './helpers.js';

afterAll(removeTempDirs);

interface Log {
  log: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function logFile(): Promise<string> {
  const file = join(makeTempDir(), 'doc.json');
  const init = openJsonFile<Log>(file, { create: () => ({ log: [] }) });
  await init.update(() => undefined);
  await init.close();
  return file;
}

describe('lock races', () => {
  it('a releaser that lost the lock while handing it over takes the waiter’s record back: never two holders', async () => {
    const file = await logFile();
    // The releaser stalls 1.5 s inside its hand-over; X judges it stale after 0.5 s and takes the lock.
    const releaser = startWorker('pausing-releaser.mjs', [file, '1500']);
    expect(await releaser.nextLine()).toBe('holding');
    let inside = 0;
    let maxInside = 0;
    const critical = async (ms: number) => {
      inside += 1;
      maxInside = Math.max(maxInside, inside);
      await sleep(ms);
      inside -= 1;
    };
    const w = openJsonFile<Log>(file, { lock: { timeoutMs: 20_000 } });
    const wDone = w.update(async (d) => {
      d.log.push('W');
      await critical(300);
    });
    await sleep(50); // W is the oldest waiter: the releaser hands the lock to W
    const x = openJsonFile<Log>(file, { lock: { staleMs: 500, timeoutMs: 20_000 } });
    const xDone = x.update(async (d) => {
      d.log.push('X');
      await critical(1500);
    });
    await sleep(50);
    writeFileSync(`${file}.go`, '');
    const results = await Promise.allSettled([wDone, xDone]);
    expect((await releaser.exited).code).toBe(0);
    expect(maxInside).toBe(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
    const final = (await w.read()).value.log;
    await w.close();
    await x.close();
    expect([...final].sort()).toEqual(['W', 'X', 'releaser']);
  });

  it('a waiter that gives up just as it is handed the lock passes it on instead of stranding it', async () => {
    const file = await logFile();
    const holder = startWorker('timed-holder.mjs', [file, '500']);
    expect(await holder.nextLine()).toBe('holding');
    // W's withdrawal is held up (400 ms) right before it removes its record, so the holder's
    // release (at 500 ms) hands the lock to a waiter that has already timed out (at 300 ms).
    let stall = true;
    const fs = {
      ...nodeFileSystem,
      unlinkSync: (path: string) => {
        if (stall && /\.tmpdir\/[0-9a-f]{16}\.json$/.test(path)) {
          stall = false;
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 400);
        }
        nodeFileSystem.unlinkSync(path);
      },
    };
    const w = openJsonFile<Log>(file, { fs });
    await expect(w.update((d) => d, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    expect((await holder.exited).code).toBe(0);
    expect(readLockOwner(file)).toBeNull();
    expect(listTempFiles(file)).toEqual([]);
    await w.close();
  });

  it('an error while waiting is a typed error and leaves nothing the lock could be handed to', async () => {
    const file = await logFile();
    let failNext = false;
    const fs = {
      ...nodeFileSystem,
      readdirSync: (path: string) => {
        if (failNext && path.endsWith('.lock')) {
          failNext = false;
          throw osError('EMFILE', 'scandir', path);
        }
        return nodeFileSystem.readdirSync(path);
      },
    };
    const holder = openJsonFile<Log>(file);
    const w = openJsonFile<Log>(file, { fs });
    let failure: unknown;
    await holder.update(async (d) => {
      failNext = true;
      failure = await w.update((x) => x).catch((error: unknown) => error);
      d.log.push('holder');
    });
    expect(AtomicFileError.isInstance(failure)).toBe(true);
    expect(failure).toMatchObject({ code: 'WRITE_FAILED', operation: 'lock' });
    expect((failure as Error).message).toContain('EMFILE');
    // The holder's release found no waiter: the lock is free, and W can update again at once.
    expect(readLockOwner(file)).toBeNull();
    expect(listTempFiles(file)).toEqual([]);
    const next = await w.update((d) => {
      d.log.push('W');
    });
    expect(next.value.log).toEqual(['holder', 'W']);
    await w.close();
    await holder.close();
    expect(existsSync(`${file}.lock`)).toBe(false);
  });
});
