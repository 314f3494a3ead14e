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
  // The releaser stalls 1.5 s inside its hand-over; X judges it stale after 0.5 s and takes the
  // lock; then the releaser moves W's record into X's lock. Either the releaser notices it lost the
  // lock and removes that record at once, or (record removal held up 300 ms) W wakes first and must
  // see for itself that the lock directory holds another owner's record.
  it.each([
    ['the releaser takes it back', '0'],
    ['the woken waiter steps back', '300'],
  ])('a releaser that lost the lock while handing it over cannot make its waiter a second committer: %s', async (_case, recordDelayMs) => {
    const file = await logFile();
    const releaser = startWorker('pausing-releaser.mjs', [file, '1500', recordDelayMs]);
    expect(await releaser.nextLine()).toBe('holding');
    const w = openJsonFile<Log>(file, { lock: { timeoutMs: 20_000 } });
    // A caller retries a refused commit: what matters is that nothing is lost or doubled.
    const wDone = (async () => {
      const outcomes: string[] = [];
      for (;;) {
        try {
          await w.update((d) => {
            d.log.push('W');
          });
          outcomes.push('committed');
          return outcomes;
        } catch (error) {
          if (!AtomicFileError.isInstance(error) || error.code !== 'LOCK_COMPROMISED') throw error;
          outcomes.push('LOCK_COMPROMISED');
        }
      }
    })();
    await sleep(50); // W is the oldest waiter: the releaser hands the lock to W
    const x = openJsonFile<Log>(file, { lock: { staleMs: 500, timeoutMs: 20_000 } });
    const xDone = x.update(async (d) => {
      d.log.push('X');
      await sleep(1500);
    });
    await sleep(50);
    writeFileSync(`${file}.go`, '');
    // X took the lock over rightfully: its commit stands, whatever W's woken updater did meanwhile.
    await expect(xDone).resolves.toMatchObject({ value: { log: expect.arrayContaining(['X']) } });
    const outcomes = await wDone;
    expect(outcomes.at(-1)).toBe('committed');
    expect((await releaser.exited).code).toBe(0);
    const final = (await w.read()).value.log;
    await w.close();
    await x.close();
    expect([...final].sort()).toEqual(['W', 'X', 'releaser']);
    expect(readLockOwner(file)).toBeNull();
    expect(listTempFiles(file)).toEqual([]);
  });

  it('a rightful hand-over goes on down the queue while the releaser is stalled before removing its own record', async () => {
    const file = await logFile();
    // No stall in the hand-over itself; 3 s between it and the releaser removing its own record.
    const releaser = startWorker('pausing-releaser.mjs', [file, '0', '3000']);
    expect(await releaser.nextLine()).toBe('holding');
    const w = openJsonFile<Log>(file);
    const v = openJsonFile<Log>(file);
    const wDone = w.update((d) => void d.log.push('W'));
    await sleep(50);
    const vDone = v.update((d) => void d.log.push('V'));
    await sleep(50);
    writeFileSync(`${file}.go`, '');
    // W takes the lock (clearing the releaser's leftover record) and hands it on to V: neither
    // mistakes the stalled releaser's record for another owner, and neither waits for it.
    await expect(wDone).resolves.toMatchObject({ value: { log: ['releaser', 'W'] } });
    await expect(vDone).resolves.toMatchObject({ value: { log: ['releaser', 'W', 'V'] } });
    expect(existsSync(`${file}.resumed`)).toBe(false);
    expect((await releaser.exited).code).toBe(0);
    expect(readLockOwner(file)).toBeNull();
    await w.close();
    await v.close();
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
