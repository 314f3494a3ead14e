import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openJsonFile } from '@rail/atomic-file';
import { emptyTrainData, FLEXITY2_SPECS, isTrainData, type TrainData } from '@rail/schema';

/** SIGKILLs a child process and resolves once it has exited (so its files can be removed). */
export async function killAndWait(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const gone = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await gone;
}

/** Cleanup steps for afterEach, run newest first: processes stop before their folders go. */
export function cleanupList(): { add(step: () => void | Promise<void>): void; run(): Promise<void> } {
  let steps: (() => void | Promise<void>)[] = [];
  return {
    add: (step) => void steps.push(step),
    run: async () => {
      const pending = steps.reverse();
      steps = [];
      for (const step of pending) await step();
    },
  };
}

export function tempDir(): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'rail-cli-'));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * Two trains as a correct run leaves them: T1 cruising under power well inside its authority, T2
 * dwelling at a station with doors open and zero power explained by its status.
 */
export function healthyDocument(): TrainData {
  const doc = emptyTrainData();
  const failures = { engine: false, brake: false, signal: false };
  doc.trains.T1 = {
    line: 'Green',
    specs: { ...FLEXITY2_SPECS },
    wayside: { commandedSpeedMps: 19, commandedAuthorityM: 400, speedLimitMps: 19.44, block: 66, authorityBasisDistanceM: 300, nextStation: 'DORMONT' },
    controller: { powerCommandW: 60_000, serviceBrake: false, emergencyBrake: false, kp: 20_000, ki: 500, mode: 'auto', status: 'ok', simTimeS: 100 },
    model: { speedMps: 10, accelerationMps2: 0.2, block: 66, routeIndex: 3, positionInBlockM: 20, distanceM: 420, authorityRemainingM: 280, authorityOverrunM: 0, temperatureC: 21, leftDoorsOpen: false, rightDoorsOpen: false, failures, simTimeS: 100 },
  };
  doc.trains.T2 = {
    line: 'Green',
    specs: { ...FLEXITY2_SPECS },
    wayside: { commandedSpeedMps: 0, commandedAuthorityM: 0, speedLimitMps: 19.44, block: 65, currentStation: 'GLENBURY', stationSide: 'right', dwellUntilS: 110 },
    controller: { powerCommandW: 0, serviceBrake: true, emergencyBrake: false, kp: 20_000, ki: 500, mode: 'auto', status: 'station-stop', statusMessage: 'dwelling at GLENBURY', simTimeS: 100 },
    model: { speedMps: 0, accelerationMps2: 0, block: 65, routeIndex: 2, positionInBlockM: 100, distanceM: 300, authorityRemainingM: 0, temperatureC: 21, leftDoorsOpen: false, rightDoorsOpen: true, failures, simTimeS: 100 },
  };
  return doc;
}

/** Writes `doc` through the store `commits` times, so the file has a backup and a revision history. */
export async function writeThroughStore(file: string, doc: TrainData, commits = 2): Promise<void> {
  const store = await openJsonFile<TrainData>(file, { validate: isTrainData, create: () => doc, lock: { label: 'test' } });
  for (let i = 0; i < commits; i += 1) await store.update(() => structuredClone(doc));
  await store.close();
}

/** A pid that certainly belonged to a process which has exited: spawn one, let it end, keep its pid. */
export async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  const pid = child.pid;
  if (pid === undefined) throw new Error('could not spawn node to get a dead pid');
  await new Promise((resolve) => child.on('exit', resolve));
  return pid;
}
