import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { DemoSummary } from '../src/summary.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** Runs the real demo (parent + three module processes) and returns its exit code and JSON summary. */
function demo(args: string[]): Promise<{ code: number | null; summary: DemoSummary; stderr: string; file: string }> {
  const dir = mkdtempSync(join(tmpdir(), 'rail-demo-'));
  dirs.push(dir);
  const file = join(dir, 'train_data.json');
  const child = spawn(process.execPath, ['--import', TSX, MAIN, '--json', '--file', file, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', (code) => {
      try {
        resolve({ code, summary: JSON.parse(stdout) as DemoSummary, stderr, file });
      } catch (error) {
        reject(new Error(`the demo printed no JSON summary (exit ${code}).\nstdout: ${stdout}\nstderr: ${stderr}`, { cause: error }));
      }
    });
  });
}

// 2 trains, 60 s apart, 330 s of simulated time: the second train needs about 250 s from the yard
// to finish its dwell at its second station (Glenbury, then Dormont).
const SHORT_RUN = ['--trains', '2', '--headway', '60', '--duration', '330', '--speed', '25'];

function expectHealthyRun(summary: DemoSummary, code: number | null, stderr: string): void {
  expect({ failures: summary.failures, stderr: summary.ok ? '' : stderr }).toEqual({ failures: [], stderr: '' });
  expect(code).toBe(0);
  expect(summary.trains).toHaveLength(2);
  for (const train of summary.trains) expect({ id: train.id, served: train.stationsServed >= 2 }).toEqual({ id: train.id, served: true });
  expect(summary.authorityOverruns).toBe(0);
  expect(summary.writeErrors.total).toBe(0);
  expect(summary.powerResets).toBe(0);
  expect(summary.lostUpdates).toBe(0);
  expect(summary.tempFilesLeft).toBe(0);
  expect(summary.corruptReads).toBe(0);
  const commits = Object.values(summary.commits.commitsByModule).reduce((a, b) => a + b, 0);
  expect(commits).toBe(summary.commits.finalRevision - summary.commits.baseRevision);
  expect(summary.commits.commitsByModule).toMatchObject({ 'train-model': expect.any(Number), wayside: expect.any(Number), controller: expect.any(Number), dispatcher: 2 });
}

describe('pnpm demo (real processes)', () => {
  it('runs two trains to at least two stations each with no overrun, write error, lost update or temp file', async () => {
    const { code, summary, stderr, file } = await demo(SHORT_RUN);

    expectHealthyRun(summary, code, stderr);
    expect(summary.simTimeS).toBeGreaterThanOrEqual(330);
    expect(readdirSync(join(file, '..')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('survives --chaos: module processes SIGKILLed and restarted, still no lost update and every train served', async () => {
    const { code, summary, stderr } = await demo([...SHORT_RUN, '--chaos', '--seed', '7']);

    expect(summary.chaos?.seed).toBe(7);
    expect(summary.chaos?.kills.length).toBeGreaterThanOrEqual(3);
    expect(summary.processes.filter((p) => p.killed).length).toBe(summary.chaos?.kills.length);
    expectHealthyRun(summary, code, stderr);
  });

  it('exits 64 with the usage on a bad flag', async () => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, '--speed', 'fast'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.on('exit', resolve));
    expect(code).toBe(64);
    expect(stderr).toContain('--speed needs a number greater than 0, got "fast"');
  });
});
