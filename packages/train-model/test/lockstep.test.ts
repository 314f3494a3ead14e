import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJsonFile } from '@rail/atomic-file';
import { FLEXITY2_SPECS, isTrainData, type TrainData } from '@rail/schema';
import { loadBuiltinLine } from '@rail/track';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runTrainModel, waitingFor } from '../src/index.js';

const layouts = new Map([['Green', loadBuiltinLine('Green')]]);
let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rail-lockstep-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function docWithController(controllerSimTimeS: number): TrainData {
  return {
    schemaVersion: 1,
    revision: 0,
    updatedAt: '2026-01-01T00:00:00Z',
    simTimeS: 10,
    trains: {
      T1: {
        line: 'Green',
        specs: { ...FLEXITY2_SPECS },
        model: {
          speedMps: 5, accelerationMps2: 0, block: 63, routeIndex: 0, positionInBlockM: 10, distanceM: 10,
          temperatureC: 21, leftDoorsOpen: false, rightDoorsOpen: false, failures: { engine: false, brake: false, signal: false }, simTimeS: 10,
        },
        controller: { powerCommandW: 120000, serviceBrake: false, emergencyBrake: false, kp: null, ki: null, mode: 'auto', simTimeS: controllerSimTimeS },
      },
    },
  };
}

describe('runTrainModel lockstep on simulated time', () => {
  it('does not advance while the controller has not answered the latest model step', async () => {
    const doc = openJsonFile<TrainData>(join(dir, 'train_data.json'), { validate: isTrainData, create: () => docWithController(9.5) });
    expect(waitingFor((await doc.read()).value)).toBe('T1: controller');
    const stats = await runTrainModel({ doc, layouts, maxTicks: 3, speed: Infinity }).done;
    const after = (await doc.read()).value;
    await doc.close();
    expect(stats.commits).toBe(0);
    expect(after.trains.T1!.model!.simTimeS).toBe(10);
    expect(after.trains.T1!.model!.distanceM).toBe(10);
  });

  it('steps once the controller has answered, and not again until it answers that step', async () => {
    const doc = openJsonFile<TrainData>(join(dir, 'train_data.json'), { validate: isTrainData, create: () => docWithController(10) });
    const stats = await runTrainModel({ doc, layouts, maxTicks: 3, speed: Infinity }).done;
    const after = (await doc.read()).value;
    await doc.close();
    expect(stats.commits).toBe(1);
    expect(after.trains.T1!.model!.simTimeS).toBe(10.5);
    expect(after.trains.T1!.model!.distanceM).toBeGreaterThan(10);
  });
});
