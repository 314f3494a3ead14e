import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJsonFile } from '../src/index.js';
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

  it('never hands the lock to a waiter whose process is dead: the lock is simply freed', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    const doc = openJsonFile<Log>(file, { create: () => ({ order: [] }) });
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
    await sleep(20); // the release follows the caller's resolution by a tick
    expect(existsSync(`${file}.lock`)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes(token))).toHaveLength(1);
    const next = await doc.update((d) => {
      d.order.push('next');
    });
    await doc.close();
    expect(next.value.order).toEqual(['created', 'holder', 'next']);
  });
});
