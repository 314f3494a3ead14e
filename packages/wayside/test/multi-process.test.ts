import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { openJsonFile } from '@rail/atomic-file';
import { FLEXITY2_SPECS, isTrainData, type Model, type TrainData } from '@rail/schema';
import { afterEach, describe, expect, it } from 'vitest';

// `node --import tsx`, not the tsx CLI: the CLI runs the script in a grandchild that a SIGKILL of
// the child would orphan, and this test needs to kill the very process that runs the wayside.
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const worker = fileURLToPath(new URL('./workers/wayside-process.ts', import.meta.url));
const children: ChildProcess[] = [];
const dirs: string[] = [];
afterEach(() => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function startWayside(path: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', worker, path], { cwd: packageDir, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      if (chunk.toString().includes('ready')) resolve(child);
    });
    child.on('exit', (code) => reject(new Error(`wayside process exited early with ${code}`)));
  });
}

const model = (i: number): Model => ({
  speedMps: 1,
  accelerationMps2: 0,
  block: 63,
  routeIndex: 0,
  positionInBlockM: i,
  distanceM: i,
  temperatureC: 20,
  leftDoorsOpen: false,
  rightDoorsOpen: false,
  failures: { engine: false, brake: false, signal: false },
  simTimeS: i * 0.5,
});

describe('the wayside in its own process', () => {
  it('answers every model update from another process, and a restarted wayside picks up after a SIGKILL', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'rail-wayside-mp-'));
    dirs.push(dir);
    const path = join(dir, 'train_data.json');
    const initial: TrainData = {
      schemaVersion: 1,
      revision: 0,
      updatedAt: '2025-01-01T00:00:00.000Z',
      trains: { T1: { line: 'Green', specs: { ...FLEXITY2_SPECS }, model: model(0) } },
    };
    const doc = openJsonFile<TrainData>(path, { validate: isTrainData, durability: 'relaxed' });
    await doc.write(initial);
    let wayside = await startWayside(path);

    for (let i = 1; i <= 20; i++) {
      if (i === 11) {
        wayside.kill('SIGKILL');
        await new Promise((r) => wayside.once('exit', r));
        wayside = await startWayside(path);
      }
      // This process plays the train model: it owns `model` and nothing else.
      await doc.update((draft) => {
        draft.trains.T1!.model = model(i);
      });
      const deadline = Date.now() + 20_000;
      let seen: TrainData;
      do {
        await new Promise((r) => setTimeout(r, 10));
        seen = (await doc.read()).value;
      } while (seen.trains.T1!.wayside?.authorityBasisDistanceM !== i && Date.now() < deadline);
      // The wayside saw this very update (its basis is our distance), and did not undo it.
      expect(seen.trains.T1!.wayside).toMatchObject({ authorityBasisDistanceM: i, commandedAuthorityM: 300 - i });
      expect(seen.trains.T1!.model).toEqual(model(i));
    }
    wayside.kill('SIGTERM');
    expect(await new Promise((r) => wayside.once('exit', r))).toBe(0);
    const final = await doc.read();
    await doc.close();
    expect(isTrainData(final.value)).toBe(true);
  });
});
