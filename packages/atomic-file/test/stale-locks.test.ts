import { mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { isOwnerAlive, openJsonFile, readLockOwner, type StoreEvent } from '../src/index.js';
import { deadPid, makeTempDir, removeTempDirs, startWorker } from './helpers.js';

afterAll(removeTempDirs);

interface Counter {
  count: number;
  revision?: number;
  writer?: string;
}

/** Plants a lock held by `owner` as a crashed or remote process would have left it. */
function plantLock(file: string, owner: { pid: number; host: string; token: string; acquiredAt: number }, mtime?: Date): void {
  const lockDir = `${file}.lock`;
  mkdirSync(lockDir);
  const record = join(lockDir, `${owner.token}.json`);
  writeFileSync(record, JSON.stringify(owner));
  if (mtime) utimesSync(record, mtime, mtime);
}

const HOUR_MS = 3_600_000;

describe('a lock left by a dead process on this host', () => {
  it('is taken over at once by pid check, without waiting for the heartbeat threshold', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    writeFileSync(file, JSON.stringify({ count: 1, revision: 1 }));
    const pid = await deadPid();
    plantLock(file, { pid, host: hostname(), token: 'deadbeefdeadbeef', acquiredAt: Date.now() - 1000 });
    const owner = readLockOwner(file);
    expect(owner).toMatchObject({ pid, host: hostname(), token: 'deadbeefdeadbeef' });
    expect(isOwnerAlive(owner!)).toBe(false);

    const events: StoreEvent[] = [];
    // A heartbeat threshold of a minute: only the dead-pid rule can free this lock within the test.
    const doc = openJsonFile<Counter>(file, { lock: { staleMs: 60_000, timeoutMs: 20_000 }, onEvent: (e) => events.push(e) });
    const commit = await doc.update((d) => {
      d.count += 1;
    });
    await doc.close();
    expect(commit.value.count).toBe(2);
    expect(commit.lockWaitMs).toBeLessThan(5_000);
    expect(events.find((e) => e.type === 'stale-lock')).toMatchObject({ owner: { pid }, reason: expect.stringContaining('dead') });
    expect(doc.stats().staleTakeovers).toBe(1);
    expect(readLockOwner(file)).toBeNull();
  });
});

describe('a lock from another host whose heartbeat is an hour old', () => {
  it('is taken over by exactly one of 10 racing processes, and no two are ever inside the critical section together', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    writeFileSync(file, JSON.stringify({ count: 0, revision: 0 }));
    const anHourAgo = new Date(Date.now() - HOUR_MS);
    plantLock(file, { pid: 4242, host: 'another-host.invalid', token: 'abcdefabcdefabcd', acquiredAt: anHourAgo.getTime() }, anHourAgo);
    expect(isOwnerAlive(readLockOwner(file)!)).toBe('unknown');

    const startAt = Date.now() + 1500;
    const updatesEach = 5;
    // The threshold also applies to the live holders that follow: one whose commit is held up longer
    // than it (an fsync behind a busy disk, a process not scheduled on a loaded machine) is rightly
    // taken over as well, and its update refused. 2 s is far above any such pause, so the planted
    // lock is the only one that can be judged stale; 10 racers still reach it within ms of each other.
    const staleMs = 2_000;
    const workers = Array.from({ length: 10 }, () => startWorker('critical-section.mjs', [file, String(startAt), String(updatesEach), String(staleMs)]));
    const reports = await Promise.all(
      workers.map(async (w) => {
        const line = await w.nextLine();
        const exit = await w.exited;
        expect(exit.code, exit.stderr).toBe(0);
        return JSON.parse(line) as { overlaps: number; staleEvents: StoreEvent[] };
      }),
    );
    expect(reports.map((r) => r.overlaps)).toEqual(Array(10).fill(0));
    const takeovers = reports.flatMap((r) => r.staleEvents);
    expect(takeovers).toHaveLength(1);
    expect(takeovers[0]).toMatchObject({ owner: { host: 'another-host.invalid', token: 'abcdefabcdefabcd' } });
    const final = JSON.parse(readFileSync(file, 'utf8')) as Counter;
    expect(final.count).toBe(10 * updatesEach);
    expect(readLockOwner(file)).toBeNull();
  });
});

describe('a lock dated an hour in the future', () => {
  it('does not block forever: staleness is measured on the waiter’s own clock', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    writeFileSync(file, JSON.stringify({ count: 5, revision: 3 }));
    const inAnHour = new Date(Date.now() + HOUR_MS);
    plantLock(file, { pid: 4242, host: 'skewed-clock.invalid', token: '0123456789abcdef', acquiredAt: inAnHour.getTime() }, inAnHour);

    const events: StoreEvent[] = [];
    const doc = openJsonFile<Counter>(file, { lock: { staleMs: 200, timeoutMs: 10_000 }, onEvent: (e) => events.push(e) });
    const commit = await doc.update((d) => {
      d.count += 1;
    });
    await doc.close();
    expect(commit.value).toMatchObject({ count: 6, revision: 4 });
    // It waited for the threshold (the owner was not provably dead), then took over.
    expect(commit.lockWaitMs).toBeGreaterThanOrEqual(200);
    expect(events.filter((e) => e.type === 'stale-lock')).toHaveLength(1);
  });
});

describe('a holder paused past the stale threshold (SIGSTOP)', () => {
  it('has its commit refused with LOCK_COMPROMISED after SIGCONT, without crashing, and the other process’s data survives', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    writeFileSync(file, JSON.stringify({ count: 0, revision: 0 }));
    const holder = startWorker('pausing-holder.mjs', [file, '300']);
    expect(await holder.nextLine()).toBe('stopping');

    const doc = openJsonFile<Counter>(file, { lock: { staleMs: 300, timeoutMs: 10_000 } });
    const commit = await doc.update((d) => {
      d.writer = 'survivor';
      d.count += 1;
    });
    expect(commit.revision).toBe(1);

    holder.child.kill('SIGCONT');
    const outcome = JSON.parse(await holder.nextLine()) as { ok: boolean; code?: string; name?: string };
    const exit = await holder.exited;
    expect(outcome).toMatchObject({ ok: false, code: 'LOCK_COMPROMISED', name: 'AtomicFileError' });
    expect(exit.code).toBe(0);

    const onDisk = JSON.parse(readFileSync(file, 'utf8')) as Counter;
    expect(onDisk).toMatchObject({ writer: 'survivor', count: 1, revision: 1 });
    // The refused holder released nothing of ours: the store still works.
    const next = await doc.update((d) => {
      d.count += 1;
    });
    expect(next.revision).toBe(2);
    await doc.close();
  });
});
