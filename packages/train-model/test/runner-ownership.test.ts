import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJsonFile } from '@rail/atomic-file';
import { changedPaths, isTrainData, type TrainData } from '@rail/schema';
import { loadBuiltinLine } from '@rail/track';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTrainModel, type TrainModelTickInfo } from '../src/index.js';
import { fullDocument } from './fixtures.js';

const layouts = new Map([
  ['Blue', loadBuiltinLine('Blue')],
  ['Green', loadBuiltinLine('Green')],
]);

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rail-train-model-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('runTrainModel on a real train_data.json (openJsonFile)', () => {
  it('changes nothing outside the model sections, simTimeS, lastWriter and the store bookkeeping', async () => {
    const path = join(dir, 'train_data.json');
    const doc = openJsonFile<TrainData>(path, { validate: isTrainData, create: fullDocument, durability: 'relaxed' });
    const before = (await doc.read()).value;
    const runner = runTrainModel({ doc, layouts, maxTicks: 4, speed: Infinity, lockstep: false });
    const stats = await runner.done;
    await doc.close();
    const after = JSON.parse(readFileSync(path, 'utf8')) as TrainData;

    expect(stats).toEqual({ ticks: 4, commits: 4, errors: 0 });
    const foreign = changedPaths(before, after).filter(
      (p) => !/^\/trains\/[^/]+\/model(\/|$)/.test(p) && !['/simTimeS', '/revision', '/updatedAt'].includes(p) && !p.startsWith('/lastWriter/'),
    );
    expect(foreign).toEqual([]);
    expect(after.simTimeS).toBe(12);
    expect(after.lastWriter?.module).toBe('train-model');
    // T1 was moving under 80 kW; T2 had no model and gets one at the route's start (Green: block 63).
    expect(after.trains.T1?.model?.distanceM).toBeGreaterThan(10);
    expect(after.trains.T1?.model?.simTimeS).toBe(12);
    expect(after.trains.T2?.model).toMatchObject({ routeIndex: 0, block: 63, positionInBlockM: 0, speedMps: 0 });
  });

  it('reports a train on a line it has no route for, and still moves the others', async () => {
    const path = join(dir, 'train_data.json');
    const doc = openJsonFile<TrainData>(path, { validate: isTrainData, create: fullDocument, durability: 'relaxed' });
    const ticks: TrainModelTickInfo[] = [];
    const runner = runTrainModel({ doc, layouts: new Map([["Blue", layouts.get("Blue")!]]), maxTicks: 2, speed: Infinity, lockstep: false, onTick: (i) => ticks.push(i) });
    const stats = await runner.done;
    const after = (await doc.read()).value;
    await doc.close();
    expect(stats.commits).toBe(2);
    expect(stats.errors).toBe(2);
    expect(stats.lastError).toMatch(/train T2 runs on line "Green", which is not in options.layouts/);
    expect(ticks.map((t) => t.trains)).toEqual([['T1'], ['T1']]);
    expect(after.trains.T2?.model).toBeUndefined();
  });

  it('counts a failing store and keeps ticking', async () => {
    let calls = 0;
    const failing = {
      update: async () => {
        calls += 1;
        throw Object.assign(new Error('train_data.json is locked by pid 42 (LOCK_TIMEOUT)'), { code: 'LOCK_TIMEOUT' });
      },
    } as unknown as Parameters<typeof runTrainModel>[0]['doc'];
    const stats = await runTrainModel({ doc: failing, layouts, maxTicks: 3, speed: Infinity, lockstep: false }).done;
    expect(calls).toBe(3);
    expect(stats).toEqual({ ticks: 3, commits: 0, errors: 3, lastError: 'train_data.json is locked by pid 42 (LOCK_TIMEOUT)' });
  });

  it('stops on stop() and on an aborted signal', async () => {
    const path = join(dir, 'train_data.json');
    const doc = openJsonFile<TrainData>(path, { validate: isTrainData, create: fullDocument, durability: 'relaxed' });
    const controller = new AbortController();
    const runner = runTrainModel({ doc, layouts, periodS: 0.5, speed: 10, signal: controller.signal });
    await new Promise((r) => setTimeout(r, 120));
    controller.abort();
    const stats = await runner.done;
    expect(stats.ticks).toBeGreaterThanOrEqual(1);
    const second = runTrainModel({ doc, layouts, periodS: 0.5, speed: 10 });
    const final = await second.stop();
    expect(final.ticks).toBeLessThanOrEqual(1);
    await doc.close();
  });
});
