import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJsonFile } from '@rail/atomic-file';
import { isTrainData, type TrainData } from '@rail/schema';
import { loadBuiltinLine, type Route } from '@rail/track';
import { afterEach, describe, expect, it } from 'vitest';
import { runWayside, WaysideError } from '../src/index.js';
import { fullDocument, withoutWaysideView } from './fixture-document.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function openDoc(initial: TrainData) {
  const dir = mkdtempSync(join(tmpdir(), 'rail-wayside-'));
  dirs.push(dir);
  return openJsonFile<TrainData>(join(dir, 'train_data.json'), { validate: isTrainData, create: () => initial, durability: 'relaxed' });
}

const layouts = () => new Map([
  ['Green', loadBuiltinLine('Green')],
  ['Blue', loadBuiltinLine('Blue')],
]);

describe('runWayside', () => {
  it('changes nothing outside the wayside sections (and lastWriter) of a fully filled document', async () => {
    const doc = openDoc(fullDocument());
    const before = (await doc.read()).value;
    const runner = runWayside({ doc, layouts: layouts(), maxTicks: 3, speed: 1000 });
    const stats = await runner.done;
    const after = (await doc.read()).value;
    await doc.close();

    // The models did not move after the first answer, so there is nothing new to write: one commit.
    expect(stats).toEqual({ ticks: 3, commits: 1, errors: 0 });
    expect(withoutWaysideView(after)).toEqual(withoutWaysideView(before));
    expect(after.revision).toBe(before.revision + 1);
    expect(after.lastWriter).toMatchObject({ module: 'wayside', pid: process.pid });
    // T1: 50 m into 63 → 50 m + 100 m (64) + 100 m (half of 65) to Glenbury.
    expect(after.trains.T1!.wayside).toMatchObject({ commandedAuthorityM: 250, authorityBasisDistanceM: 50, block: 63, nextStation: 'GLENBURY' });
    // T2's stale section is replaced; T3 (Blue, still in the yard) gets one: 4 × 50 m + 50 m + 25 m to Station B.
    expect(after.trains.T2!.wayside!.commandedSpeedMps).not.toBe(99);
    expect(after.trains.T3!.wayside).toMatchObject({ block: null, commandedAuthorityM: 475, nextStation: 'B' });
  });

  it('counts a failed store update, reports it, and goes on with the next tick', async () => {
    const doc = openDoc(fullDocument());
    let calls = 0;
    const flaky = { ...doc, read: () => doc.read(), update: ((fn, opts) => (++calls === 1 ? Promise.reject(new Error('EBUSY: simulated store failure')) : doc.update(fn, opts))) as typeof doc.update };
    const errors: Error[] = [];
    const ticks: (number | null)[] = [];
    const stats = await runWayside({ doc: flaky, layouts: layouts(), maxTicks: 4, speed: 1000, onError: (e) => errors.push(e), onTick: (i) => ticks.push(i.revision) }).done;
    await doc.close();
    // Tick 1 fails, tick 2 answers the models, ticks 3–4 have nothing new to answer.
    expect(stats).toEqual({ ticks: 4, commits: 1, errors: 1, lastError: 'EBUSY: simulated store failure' });
    expect(errors.map((e) => e.message)).toEqual(['EBUSY: simulated store failure']);
    expect(ticks).toEqual([null, 1]);
  });

  it('reports a line it has no layout for, once, and leaves those trains alone', async () => {
    const initial = fullDocument();
    const doc = openDoc(initial);
    const errors: Error[] = [];
    const stats = await runWayside({ doc, layouts: new Map([['Green', loadBuiltinLine('Green')]]), maxTicks: 2, speed: 1000, onError: (e) => errors.push(e) }).done;
    const after = (await doc.read()).value;
    await doc.close();
    expect(stats.errors).toBe(0);
    expect(errors).toHaveLength(1);
    expect(WaysideError.isInstance(errors[0])).toBe(true);
    expect((errors[0] as WaysideError).code).toBe('NO_LAYOUT');
    expect(errors[0]!.message).toContain('"Blue"');
    expect(after.trains.T3!.wayside).toBeUndefined();
  });

  it('writes nothing and reports the validator message when its own output breaks the schema', async () => {
    const doc = openDoc(fullDocument());
    const green = loadBuiltinLine('Green');
    // A hand-built route with a negative speed limit makes wayside.speedLimitMps invalid.
    const broken: Route = { ...green.route, steps: green.route.steps.map((s) => ({ ...s, speedLimitMps: -1 })) };
    const before = (await doc.read()).value;
    const errors: Error[] = [];
    const stats = await runWayside({ doc, layouts: new Map([['Green', { layout: green.layout, route: broken }]]), maxTicks: 1, speed: 1000, onError: (e) => errors.push(e) }).done;
    const after = (await doc.read()).value;
    await doc.close();
    expect(stats.errors).toBe(1);
    expect((errors[0] as WaysideError).code).toBe('INVALID_OUTPUT');
    expect(errors[0]!.message).toContain('/trains/T1/wayside/speedLimitMps');
    expect(after).toEqual(before);
  });

  it('answers again when its answer is no longer in the file (the document went back to its backup), and only then', async () => {
    const doc = openDoc(fullDocument());
    const runner = runWayside({ doc, layouts: layouts(), periodS: 0.5, speed: 100 });
    const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    for (let i = 0; i < 200 && (await doc.read()).value.lastWriter?.module !== 'wayside'; i += 1) await sleep(5);
    await sleep(100); // ~20 more ticks: nothing new to answer
    const quiet = (await doc.read()).revision;
    // The rollback: T1's wayside section as it was before the model's current step was answered.
    await doc.update((d) => {
      d.trains.T1!.wayside = { ...d.trains.T1!.wayside!, simTimeS: 42, commandedAuthorityM: 1 };
    });
    await sleep(100);
    const stats = await runner.stop();
    const after = (await doc.read()).value;
    await doc.close();
    expect(quiet).toBe(1);
    expect(stats.commits).toBe(2);
    expect(after.trains.T1!.wayside).toMatchObject({ simTimeS: 42.5, commandedAuthorityM: 250 });
  });

  it('stops on stop() and on an aborted signal', async () => {
    const doc = openDoc(fullDocument());
    const runner = runWayside({ doc, layouts: layouts(), periodS: 0.5, speed: 10 });
    await new Promise((r) => setTimeout(r, 120));
    const stats = await runner.stop();
    expect(stats.ticks).toBeGreaterThanOrEqual(1);
    expect(stats.commits).toBe(1);

    const controller = new AbortController();
    controller.abort();
    const aborted = await runWayside({ doc, layouts: layouts(), signal: controller.signal }).done;
    await doc.close();
    expect(aborted).toEqual({ ticks: 0, commits: 0, errors: 0 });
  });

  it('refuses a non-positive period', () => {
    const doc = openDoc(fullDocument());
    expect(() => runWayside({ doc, layouts: layouts(), periodS: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_OPTIONS' }));
    return doc.close();
  });
});
