import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJsonFile } from '@rail/atomic-file';
import { changedPaths, isTrainData, type TrainData } from '@rail/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CONTROLLER_CONFIG, runController } from '../src/index.js';
import { fullDocument } from './fixtures.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rail-controller-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('runController on a real train_data.json (openJsonFile)', () => {
  it('changes nothing outside the controller sections, lastWriter and the store bookkeeping', async () => {
    const path = join(dir, 'train_data.json');
    const doc = openJsonFile<TrainData>(path, { validate: isTrainData, create: fullDocument, durability: 'relaxed' });
    const before = (await doc.read()).value;
    const stats = await runController({ doc, maxTicks: 3, speed: Infinity }).done;
    await doc.close();
    const after = JSON.parse(readFileSync(path, 'utf8')) as TrainData;

    // The model does not move in this test, so after its first answer the controller has nothing new to write.
    expect(stats).toEqual({ ticks: 3, commits: 1, errors: 0 });
    const foreign = changedPaths(before, after).filter(
      (p) => !/^\/trains\/[^/]+\/controller(\/|$)/.test(p) && !['/revision', '/updatedAt'].includes(p) && !p.startsWith('/lastWriter/'),
    );
    expect(foreign).toEqual([]);
    expect(after.lastWriter?.module).toBe('controller');
    // T1: moving at 3 m/s in auto mode with 465 m of authority and gains from the operator.
    expect(after.trains.T1?.controller).toMatchObject({ status: 'ok', serviceBrake: false, emergencyBrake: false, kp: 120_000, ki: 2_000 });
    expect(after.trains.T1?.controller?.powerCommandW).toBeGreaterThan(0);
    // T2 has no model yet: it is held, and says why.
    expect(after.trains.T2?.controller).toMatchObject({ status: 'no-input', powerCommandW: 0, serviceBrake: true });
    expect(after.trains.T2?.controller?.statusMessage).toMatch(/waiting for the train model/);
  });

  it('keeps null gains null and commands 0 W with status no-gains when no defaults are configured', async () => {
    const path = join(dir, 'train_data.json');
    const start = fullDocument();
    delete start.trains.T1!.operator!.kp;
    delete start.trains.T1!.operator!.ki;
    start.trains.T1!.controller!.kp = null;
    start.trains.T1!.controller!.ki = null;
    const doc = openJsonFile<TrainData>(path, { validate: isTrainData, create: () => start, durability: 'relaxed' });
    await runController({ doc, maxTicks: 1, speed: Infinity, config: { ...DEFAULT_CONTROLLER_CONFIG, defaultGains: null } }).done;
    const after = (await doc.read()).value;
    await doc.close();
    expect(after.trains.T1?.controller).toMatchObject({ kp: null, ki: null, powerCommandW: 0, status: 'no-gains' });
    expect(after.trains.T1?.controller?.statusMessage).toMatch(/gains are not set/);
  });

  it('counts a failing store and keeps ticking', async () => {
    let calls = 0;
    const failing = {
      update: async () => {
        calls += 1;
        throw new Error('disk full while writing train_data.json');
      },
    } as unknown as Parameters<typeof runController>[0]['doc'];
    const stats = await runController({ doc: failing, maxTicks: 2, speed: Infinity }).done;
    expect(calls).toBe(2);
    expect(stats).toEqual({ ticks: 2, commits: 0, errors: 2, lastError: 'disk full while writing train_data.json' });
  });
});

describe('runController after the document went back (restored from its backup)', () => {
  it('answers the model step again when its answer is no longer in the file, and only then', async () => {
    const path = join(dir, 'train_data.json');
    const doc = openJsonFile<TrainData>(path, { validate: isTrainData, create: fullDocument, durability: 'relaxed' });
    const runner = runController({ doc, periodS: 0.5, speed: 100 });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    for (let i = 0; i < 200 && (await doc.read()).value.lastWriter?.module !== 'controller'; i += 1) await sleep(5);
    await sleep(100); // ~20 more ticks: nothing new to answer
    const quiet = (await doc.read()).revision;
    // The rollback: T1's controller section as it was before the model's current step was answered.
    await doc.update((d) => {
      d.trains.T1!.controller = { ...d.trains.T1!.controller!, simTimeS: 9.5, powerCommandW: 0 };
    });
    await sleep(100);
    const stats = await runner.stop();
    const after = (await doc.read()).value;
    await doc.close();
    expect(quiet).toBe(1);
    expect(stats.commits).toBe(2);
    expect(after.trains.T1!.controller!.simTimeS).toBe(10);
    expect(after.trains.T1!.controller!.powerCommandW).toBeGreaterThan(0);
  });
});
