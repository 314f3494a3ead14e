import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicFileError, listTempFiles, nodeFileSystem, openJsonFile, readLockOwner } from '../src/index.js';
import { makeTempDir, osError, removeTempDirs, startWorker } from './helpers.js';

afterAll(removeTempDirs);

interface Log {
  log: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls until `condition` holds, letting this process's timers and watchers run meanwhile. */
async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(5);
  }
}

/**
 * Polls until `condition` holds without yielding: nothing else in this process (its waiters' timers
 * and watchers) runs meanwhile, as if it were stopped. Returns false if it did not hold in time.
 */
function blockUntil(condition: () => boolean, timeoutMs = 20_000): boolean {
  const started = Date.now();
  while (!condition()) {
    if (Date.now() - started > timeoutMs) return false;
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 5);
  }
  return true;
}

/** Owner records waiting in staging directories next to `file`. */
function stagedRecords(file: string): string[] {
  const dir = dirname(file);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.tmpdir'))
    .flatMap((name) => readdirSync(join(dir, name)).filter((entry) => entry.endsWith('.json')));
}

/** Owner records in the lock directory of `file`. */
function lockRecords(file: string): string[] {
  try {
    return readdirSync(`${file}.lock`).filter((name) => name.endsWith('.json'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

async function logFile(): Promise<string> {
  const file = join(makeTempDir(), 'doc.json');
  const init = openJsonFile<Log>(file, { create: () => ({ log: [] }) });
  await init.update(() => undefined);
  await init.close();
  return file;
}

// Each race below is forced step by step: the worker holds a step of its release until the test
// says go (pausing-releaser.mjs, gated-holder.mjs), and the test waits for the step before, never
// for a time, so a slow or loaded machine changes how long it takes, not the order of the steps.
describe('lock races', () => {
  // The releaser is held inside its hand-over to W, right before the rename that moves W's record
  // into the lock (its commit is made, its heartbeat has stopped). X, arriving only then, judges it
  // stale after 0.5 s and takes the lock; then the releaser moves W's record into X's lock. Either
  // the releaser notices it lost the lock and removes that record at once (W cannot wake meanwhile:
  // this process is blocked until it is done), or (its record removal held up) W wakes first and
  // must see for itself that the lock directory holds another owner's record.
  it.each([
    ['the releaser takes it back', false],
    ['the woken waiter steps back', true],
  ])('a releaser that lost the lock while handing it over cannot make its waiter a second committer: %s', async (_case, waiterWakesFirst) => {
    const file = await logFile();
    const releaser = startWorker('pausing-releaser.mjs', [file, 'hand-over', ...(waiterWakesFirst ? ['record-removal'] : [])]);
    expect(await releaser.nextLine()).toBe('holding');
    const stepBacks: string[] = [];
    // W judges nobody stale (a minute): only X takes the lock over.
    const w = openJsonFile<Log>(file, {
      lock: { staleMs: 60_000, timeoutMs: 20_000 },
      onEvent: (e) => {
        if (e.type === 'error' && e.code === 'LOCK_COMPROMISED') stepBacks.push(e.message);
      },
    });
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
    // W is the only waiter: the releaser hands the lock to W, and is held right before doing it.
    writeFileSync(`${file}.go`, '');
    await until(() => existsSync(`${file}.hand-over-held`), 'the releaser to be held in its hand-over');
    const x = openJsonFile<Log>(file, { lock: { staleMs: 500, timeoutMs: 20_000 } });
    let xHolds!: () => void;
    const xHolding = new Promise<void>((resolve) => (xHolds = resolve));
    let letXCommit!: () => void;
    const xMayCommit = new Promise<void>((resolve) => (letXCommit = resolve));
    const xDone = x.update(async (d) => {
      d.log.push('X');
      xHolds();
      await xMayCommit;
    });
    await xHolding;
    // X holds the lock it took over; the releaser wakes up and hands it to W.
    writeFileSync(`${file}.hand-over-resume`, '');
    if (waiterWakesFirst) {
      await until(() => stepBacks.length > 0, "W to step back from its record in X's lock");
      writeFileSync(`${file}.record-removal-resume`, '');
    } else {
      const movedAndTakenBack = () => stagedRecords(file).length === 0 && lockRecords(file).every((name) => !name.includes('~'));
      expect(blockUntil(movedAndTakenBack)).toBe(true);
    }
    // The releaser finished its release while X still holds the lock; then X commits.
    expect(await releaser.nextLine()).toBe('done');
    letXCommit();
    // X took the lock over rightfully: its commit stands, whatever W's woken updater did meanwhile.
    await expect(xDone).resolves.toMatchObject({ value: { log: expect.arrayContaining(['X']) } });
    const outcomes = await wDone;
    expect(outcomes.at(-1)).toBe('committed');
    expect((await releaser.exited).code).toBe(0);
    expect(stepBacks).toHaveLength(waiterWakesFirst ? 1 : 0);
    const final = (await w.read()).value.log;
    await w.close();
    await x.close();
    expect([...final].sort()).toEqual(['W', 'X', 'releaser']);
    expect(readLockOwner(file)).toBeNull();
    expect(listTempFiles(file)).toEqual([]);
  });

  it('a rightful hand-over goes on down the queue while the releaser is stalled before removing its own record', async () => {
    const file = await logFile();
    // No hold in the hand-over itself; the releaser is held between it and removing its own record
    // until W and V are both done.
    const releaser = startWorker('pausing-releaser.mjs', [file, 'record-removal']);
    expect(await releaser.nextLine()).toBe('holding');
    const w = openJsonFile<Log>(file);
    const v = openJsonFile<Log>(file);
    const wDone = w.update((d) => void d.log.push('W'));
    await sleep(50); // W's record is the older one: the releaser hands the lock to W
    const vDone = v.update((d) => void d.log.push('V'));
    writeFileSync(`${file}.go`, '');
    // W takes the lock (clearing the releaser's leftover record) and hands it on to V: neither
    // mistakes the stalled releaser's record for another owner, and neither waits for it.
    await expect(wDone).resolves.toMatchObject({ value: { log: ['releaser', 'W'] } });
    await expect(vDone).resolves.toMatchObject({ value: { log: ['releaser', 'W', 'V'] } });
    expect(existsSync(`${file}.resumed`)).toBe(false);
    writeFileSync(`${file}.record-removal-resume`, '');
    expect((await releaser.exited).code).toBe(0);
    expect(readLockOwner(file)).toBeNull();
    await w.close();
    await v.close();
  });

  it('a waiter that gives up just as it is handed the lock passes it on instead of stranding it', async () => {
    const file = await logFile();
    const holder = startWorker('gated-holder.mjs', [file]);
    expect(await holder.nextLine()).toBe('holding');
    // W times out (300 ms) while the holder still holds the lock. Right before W removes its staged
    // record, the holder is let go and hands the lock to W: this process is blocked until the record
    // has been moved into the lock, so W's withdrawal finds it handed a lock it has given up on.
    let handedWhileWithdrawing: boolean | null = null;
    const fs = {
      ...nodeFileSystem,
      unlinkSync: (path: string) => {
        if (handedWhileWithdrawing === null && /\.tmpdir\/[0-9a-f]{16}\.json$/.test(path)) {
          writeFileSync(`${file}.release`, '');
          handedWhileWithdrawing = blockUntil(() => !existsSync(path));
        }
        nodeFileSystem.unlinkSync(path);
      },
    };
    const w = openJsonFile<Log>(file, { fs });
    await expect(w.update((d) => d, { timeoutMs: 300 })).rejects.toMatchObject({ code: 'LOCK_TIMEOUT' });
    expect(handedWhileWithdrawing).toBe(true);
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
