import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { expectHealthyRun, runDemoProcess, SHORT_RUN } from './demo-run.js';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');
const dirs: string[] = [];
afterAll(() => {
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

/** The demo on a fresh file in its own temp dir. */
async function demo(args: string[]) {
  const dir = mkdtempSync(join(tmpdir(), 'rail-demo-'));
  dirs.push(dir);
  const file = join(dir, 'train_data.json');
  return { ...(await runDemoProcess(['--file', file, ...args])), file };
}

describe('pnpm demo (real processes)', () => {
  it('runs two trains to at least two stations each with no overrun, write error, lost update or temp file', async () => {
    const { code, summary, stderr, file } = await demo(SHORT_RUN);

    expectHealthyRun(summary, code, stderr);
    expect(summary.tempFilesLeft).toBe(0);
    expect(summary.simTimeS).toBeGreaterThanOrEqual(330);
    expect(readdirSync(join(file, '..')).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('survives --chaos: module processes SIGKILLed and restarted, still no lost update and every train served', async () => {
    const { code, summary, stderr } = await demo([...SHORT_RUN, '--chaos', '--seed', '7']);

    expect(summary.chaos?.seed).toBe(7);
    expect(summary.chaos?.kills.length).toBeGreaterThanOrEqual(3);
    expect(summary.processes.filter((p) => p.killed).length).toBe(summary.chaos?.kills.length);
    expectHealthyRun(summary, code, stderr);
    expect(summary.tempFilesLeft).toBe(0);
  });

  it('exits 64 with the usage on a bad flag', async () => {
    const child = spawn(process.execPath, ['--import', TSX, MAIN, '--speed', 'fast'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    const code = await new Promise((resolve) => child.on('close', resolve));
    expect(code).toBe(64);
    expect(stderr).toContain('--speed needs a number greater than 0, got "fast"');
  });
});
