import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { cleanupList, healthyDocument, killAndWait, tempDir, writeThroughStore } from './helpers.js';

const BIN = fileURLToPath(new URL('../dist/bin.js', import.meta.url));

const cleanups = cleanupList();
afterEach(() => cleanups.run());

function startBin(args: string[]) {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
  cleanups.add(() => killAndWait(child));
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const url = () =>
    new Promise<string>((resolve, reject) => {
      const look = () => {
        const found = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout);
        if (found) resolve(found[0]);
      };
      child.stdout.on('data', look);
      look();
      void exited.then((code) => reject(new Error(`rail dashboard exited with ${code} before printing a URL.\nstdout: ${stdout}\nstderr: ${stderr}`)));
    });
  return { child, url, exited, output: () => ({ stdout, stderr }) };
}

describe('rail dashboard (built bin, spawned)', () => {
  it('serves the store’s current state on 127.0.0.1 and stops cleanly on SIGTERM', async () => {
    const t = tempDir();
    cleanups.add(t.cleanup);
    const file = join(t.dir, 'train_data.json');
    await writeThroughStore(file, healthyDocument(), 3);
    const bin = startBin(['dashboard', file]);

    const url = await bin.url();
    const response = await fetch(new URL('/api/state', url));
    const state = (await response.json()) as { snapshot: { revision: number; value: { trains: Record<string, { model?: { speedMps: number } }> } } };
    bin.child.kill('SIGTERM');
    const code = await bin.exited;

    expect(response.status).toBe(200);
    // writeThroughStore: the create plus three commits → revision 3.
    expect(state.snapshot.revision).toBe(3);
    expect(Object.keys(state.snapshot.value.trains).sort()).toEqual(['T1', 'T2']);
    expect(state.snapshot.value.trains.T1?.model?.speedMps).toBe(10);
    expect(code).toBe(0);
    expect(bin.output().stdout).toContain('rail dashboard: stopped (SIGTERM).');
  });

  it('refuses a store that holds no document, with exit 1 and the path', async () => {
    const t = tempDir();
    cleanups.add(t.cleanup);
    const file = join(t.dir, 'missing.json');
    const bin = startBin(['dashboard', file]);

    const code = await bin.exited;

    expect(code).toBe(1);
    expect(bin.output().stderr).toContain(`${file} holds no document yet`);
  });

  it('exits 64 on a port that is not a number', async () => {
    const bin = startBin(['dashboard', 'train_data.json', '--port', 'eighty']);
    expect(await bin.exited).toBe(64);
    expect(bin.output().stderr).toContain('--port needs a whole number');
  });
});
