import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FLEXITY2_SPECS, type TrainData } from '@rail/schema';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'rail-two-processes-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function start(script: string, args: string[]) {
  const child = spawn(process.execPath, [join(__dirname, 'workers', script), ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exited = new Promise<{ code: number | null; out: string; err: string }>((resolve) => child.on('close', (code) => resolve({ code, out, err })));
  return { child, exited };
}

describe('train model and controller as two OS processes on one train_data.json', () => {
  it('bring a Blue Line train to Station B within its authority, with no lost update', async () => {
    const path = join(dir, 'train_data.json');
    // The wayside's part, fixed: authority to the middle of block 10 (9 × 50 m + 25 m), block limit 50 km/h.
    const initial: TrainData = {
      schemaVersion: 1,
      revision: 0,
      updatedAt: '2025-01-01T00:00:00Z',
      trains: {
        T1: {
          line: 'Blue',
          specs: { ...FLEXITY2_SPECS },
          wayside: { commandedSpeedMps: 50 / 3.6, commandedAuthorityM: 475, speedLimitMps: 50 / 3.6, block: null, authorityBasisDistanceM: 0, nextStopRouteIndex: 9, dwellUntilS: null, stationSide: null },
        },
      },
    };
    writeFileSync(path, JSON.stringify(initial, null, 2));
    // In lockstep the model steps only once the controller has answered its previous step, so the
    // run is the same sequence of steps however fast either process goes. The model starts once the
    // controller has answered (a model started first would step the train, unpowered, without it),
    // and runs until its clock reads 120 s: the train needs about 60 s to reach Station B and stop.
    // (A fixed 480 ticks raced the controller: on a slow machine fewer of them were answered steps,
    // and the run could end before the train stopped.)
    const controller = start('controller-worker.mjs', [path, '40']);
    const controllerAnswered = () => (JSON.parse(readFileSync(path, 'utf8')) as TrainData).trains.T1?.controller !== undefined;
    for (const giveUpAt = Date.now() + 30_000; !controllerAnswered(); ) {
      if (controller.child.exitCode !== null || Date.now() > giveUpAt) throw new Error(`the controller did not answer: ${(await controller.exited).err}`);
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const model = start('model-worker.mjs', [path, '120', '40']);
    const modelResult = await model.exited;
    controller.child.kill('SIGTERM');
    const controllerResult = await controller.exited;
    expect(modelResult.err).toBe('');
    expect(controllerResult.err).toBe('');
    expect(modelResult.code).toBe(0);
    expect(controllerResult.code).toBe(0);
    const modelStats = JSON.parse(modelResult.out) as { ticks: number; commits: number; errors: number };
    const controllerStats = JSON.parse(controllerResult.out) as { ticks: number; commits: number; errors: number };
    // 240 steps of 0.5 s, each one commit.
    expect(modelStats).toMatchObject({ commits: 240, errors: 0 });
    expect(controllerStats.errors).toBe(0);

    const after = JSON.parse(readFileSync(path, 'utf8')) as TrainData;
    expect(after.simTimeS).toBe(120);
    // Every commit of both processes is in the file: the revision counts them all.
    expect(after.revision).toBe(modelStats.commits + controllerStats.commits);
    const m = after.trains.T1?.model;
    expect(m?.speedMps).toBe(0);
    expect(m?.authorityOverrunM).toBe(0);
    expect(m?.routeIndex).toBe(9);
    expect(m?.block).toBe(10);
    expect(Math.abs((m?.positionInBlockM ?? 0) - 25)).toBeLessThanOrEqual(5);
    expect(after.trains.T1?.wayside).toEqual(initial.trains.T1?.wayside);
    expect(after.trains.T1?.controller?.status).toBe('station-stop');
  });
});
