import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJsonFile, readLockOwner } from '../src/index.js';
import { deadPid, makeTempDir, removeTempDirs, startWorker } from './helpers.js';

afterAll(removeTempDirs);

interface Log {
  order: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('lock hand-over on release', () => {
  it('serves waiting processes first come, first served (without hand-over they race on every release)', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    const holder = openJsonFile<Log>(file, { create: () => ({ order: [] }) });
    await holder.update(() => undefined);
    const names = ['p1', 'p2', 'p3', 'p4', 'p5'];
    const stagingDirs = () => readdirSync(dir).filter((n) => n.endsWith('.tmpdir')).length;
    let release!: () => void;
    let workers: ReturnType<typeof startWorker>[] = [];
    const holding = holder.update(async () => {
      // While we hold the lock, start the waiters one by one: each is queued (its staging
      // directory exists) before the next one starts.
      for (const name of names) {
        workers.push(startWorker('append-name.mjs', [file, name]));
        const before = workers.length - 1;
        for (let i = 0; i < 500 && stagingDirs() <= before; i += 1) await sleep(10);
      }
      await new Promise<void>((resolve) => (release = resolve));
    });
    for (let i = 0; i < 500 && release === undefined; i += 1) await sleep(10);
    release();
    await holding;
    const exits = await Promise.all(workers.map((w) => w.exited));
    const final = await holder.read();
    await holder.close();
    expect(exits.map((e) => e.code)).toEqual([0, 0, 0, 0, 0]);
    expect(final.value.order).toEqual(names);
  });

  it('keeps a waiter’s staging directory between hand-overs, and removes it once the handle is idle or closed', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    const stagingDirs = () => readdirSync(dir).filter((n) => n.endsWith('.tmpdir'));
    const holder = openJsonFile<Log>(file, { create: () => ({ order: [] }) });
    const waiter = openJsonFile<Log>(file);
    await holder.update(() => undefined);
    // The waiter's update arrives while the holder is inside its critical section, so the lock is
    // handed over to it: its record leaves the staging directory, the directory stays.
    const handOverOnce = async (name: string) => {
      let waiting!: Promise<unknown>;
      await holder.update(async (d) => {
        d.order.push(`holder-${name}`);
        waiting = waiter.update((w) => {
          w.order.push(`waiter-${name}`);
        });
        // Wait until the waiter's record is staged (its directory may be kept from before).
        const staged = () => stagingDirs().some((name) => readdirSync(join(dir, name)).some((n) => n.endsWith('.json')));
        for (let i = 0; i < 500 && !staged(); i += 1) await sleep(5);
      });
      await waiting;
    };
    await handOverOnce('a');
    expect(stagingDirs()).toHaveLength(1);
    const kept = stagingDirs()[0];
    await handOverOnce('b');
    expect(stagingDirs()).toEqual([kept]);
    expect(readdirSync(join(dir, kept as string))).toEqual([]);
    // Idle for longer than the 1 s grace: removed without a close.
    await sleep(1_500);
    expect(stagingDirs()).toEqual([]);
    await handOverOnce('c');
    expect(stagingDirs()).toHaveLength(1);
    await waiter.close();
    expect(stagingDirs()).toEqual([]);
    const final = await holder.read();
    await holder.close();
    expect(final.value.order).toEqual(['holder-a', 'waiter-a', 'holder-b', 'waiter-b', 'holder-c', 'waiter-c']);
  });

  it('reports a handed-over holder as holding since the hand-over, not since it began waiting', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    const holder = openJsonFile<Log>(file, { create: () => ({ order: [] }) });
    const waiter = openJsonFile<Log>(file);
    await holder.update(() => undefined);
    let waitingSince = 0;
    let seen: ReturnType<typeof readLockOwner> = null;
    let waiting!: Promise<unknown>;
    await holder.update(async (d) => {
      d.order.push('holder');
      waitingSince = Date.now();
      waiting = waiter.update((w) => {
        seen = readLockOwner(file);
        w.order.push('waiter');
      });
      await sleep(300);
    });
    await waiting;
    await holder.close();
    await waiter.close();
    expect(seen).toMatchObject({ pid: process.pid });
    // Its record was written when it began waiting; it got the lock 300 ms later.
    expect(seen!.acquiredAt).toBeGreaterThan(waitingSince + 200);
  });

  it('leaves no staging directory behind when a process ends without close()', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    const worker = startWorker('handed-then-exit.mjs', [file]);
    // While it ran, its waiter kept a staging directory; its idle timer does not keep it alive.
    expect(await worker.nextLine()).toBe('1');
    expect((await worker.exited).code).toBe(0);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmpdir') || n.endsWith('.tmp'))).toEqual([]);
  });

  it('never hands the lock to a waiter whose process is dead: the lock is freed and the dead waiter swept at once', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    const swept: string[] = [];
    // The periodic sweep is a minute away: only noticing the dead waiter at release can remove it.
    const doc = openJsonFile<Log>(file, {
      create: () => ({ order: [] }),
      sweepIntervalMs: 60_000,
      onEvent: (e) => {
        if (e.type === 'swept') swept.push(e.path);
      },
    });
    await doc.update((d) => {
      d.order.push('created');
    });
    const pid = await deadPid();
    const hostHash = createHash('sha256').update(hostname()).digest('hex').slice(0, 8);
    const token = 'deadbeefdeadbeef';
    await doc.update(async (d) => {
      // A crashed waiter's staging directory, record inside, planted while we hold the lock.
      const staging = `${file}.lock.${pid}.${hostHash}.${token}.tmpdir`;
      mkdirSync(staging);
      writeFileSync(join(staging, `${token}.json`), JSON.stringify({ pid, host: hostname(), token, acquiredAt: Date.now() }));
      d.order.push('holder');
    });
    await sleep(20); // the sweep runs after the batch, a tick after the caller's resolution
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes(token))).toEqual([]);
    expect(swept).toEqual([`${file}.lock.${pid}.${hostHash}.${token}.tmpdir`]);
    const next = await doc.update((d) => {
      d.order.push('next');
    });
    await doc.close();
    expect(next.value.order).toEqual(['created', 'holder', 'next']);
  });
});
