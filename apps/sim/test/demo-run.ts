import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { DemoSummary } from '../src/summary.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

/**
 * Runs the real demo (parent + module processes) with `--json` and returns its exit code, JSON
 * summary and stderr. `onStderr` sees stderr as it grows (the dashboard URL is printed there).
 */
export function runDemoProcess(
  args: string[],
  onStderr?: (stderrSoFar: string) => void,
  options: { signal?: AbortSignal } = {},
): Promise<{ code: number | null; summary: DemoSummary; stderr: string }> {
  // Aborting sends SIGINT, the demo's Ctrl-C: it stops its modules and still prints its summary.
  const child = spawn(process.execPath, ['--import', TSX, MAIN, '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    ...(options.signal ? { signal: options.signal, killSignal: 'SIGINT' as const } : {}),
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => {
    stderr += d.toString();
    onStderr?.(stderr);
  });
  return new Promise((resolve, reject) => {
    child.on('error', (error) => {
      // An abort is reported as an error too, but the demo still exits with its summary.
      if (error.name !== 'AbortError') reject(error);
    });
    // 'close' comes after stdout is drained: at 'exit' the summary's last chunk may still be in flight.
    child.on('close', (code) => {
      try {
        resolve({ code, summary: JSON.parse(stdout) as DemoSummary, stderr });
      } catch (error) {
        reject(new Error(`the demo printed no JSON summary (exit ${code}).\nstdout: ${stdout}\nstderr: ${stderr}`, { cause: error }));
      }
    });
  });
}

// 2 trains, 60 s apart, 330 s of simulated time: the second train needs about 250 s from the yard
// to finish its dwell at its second station (Glenbury, then Dormont).
export const SHORT_RUN = ['--trains', '2', '--headway', '60', '--duration', '330', '--speed', '25'];

/** The invariants every demo run must end with, on any store. */
export function expectHealthyRun(summary: DemoSummary, code: number | null, stderr: string): void {
  expect({ failures: summary.failures, stderr: summary.ok ? '' : stderr }).toEqual({ failures: [], stderr: '' });
  expect(code).toBe(0);
  expect(summary.trains).toHaveLength(2);
  for (const train of summary.trains) expect({ id: train.id, served: train.stationsServed >= 2 }).toEqual({ id: train.id, served: true });
  expect(summary.authorityOverruns).toBe(0);
  expect(summary.writeErrors.total).toBe(0);
  expect(summary.powerResets).toBe(0);
  expect(summary.lostUpdates).toBe(0);
  expect(summary.corruptReads).toBe(0);
  expect(summary.damagedCopies ?? []).toEqual([]);
  const commits = Object.values(summary.commits.commitsByModule).reduce((a, b) => a + b, 0);
  expect(commits).toBe(summary.commits.finalRevision - summary.commits.baseRevision);
  expect(summary.commits.commitsByModule).toMatchObject({ 'train-model': expect.any(Number), wayside: expect.any(Number), controller: expect.any(Number), dispatcher: 2 });
}
