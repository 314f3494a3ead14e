import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoSummary } from '../src/summary.js';
import { startRedisServer, type RedisServer } from '@rail/redis-store/testing';

const MAIN = fileURLToPath(new URL('../src/main.ts', import.meta.url));
const TSX = import.meta.resolve('tsx');

let redis: RedisServer;
let ledgerDir: string;
beforeAll(async () => {
  redis = await startRedisServer({ appendfsync: 'always' });
  ledgerDir = mkdtempSync(join(tmpdir(), 'rail-demo-redis-'));
});
afterAll(async () => {
  await redis?.stop();
  if (ledgerDir) rmSync(ledgerDir, { recursive: true, force: true });
});

interface DashboardState {
  snapshot: { revision: number; value: { trains: Record<string, unknown> } } | null;
}

describe('pnpm demo --store redis://… (real processes, real redis-server)', () => {
  it('runs two trains to at least two stations each with no overrun, write error or lost update, while serving the dashboard', async () => {
    const url = redis.url('rail-demo');
    // The same short run as the file-store e2e test: 2 trains, 330 s simulated at ×25.
    const args = ['--json', '--store', url, '--ledger-dir', ledgerDir, '--dashboard', '--trains', '2', '--headway', '60', '--duration', '330', '--speed', '25'];
    const child = spawn(process.execPath, ['--import', TSX, MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    let dashboardSeen: Promise<{ status: number; state: DashboardState }> | null = null;
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
      const found = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderr);
      if (found?.[1] && dashboardSeen === null) {
        const dashboardUrl = found[1];
        // Asked once the run is under way, so the page has trains to show.
        dashboardSeen = new Promise((resolve) => setTimeout(resolve, 4000)).then(async () => {
          const response = await fetch(new URL('/api/state', dashboardUrl));
          return { status: response.status, state: (await response.json()) as DashboardState };
        });
      }
    });
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('exit', resolve);
    });
    let summary: DemoSummary;
    try {
      summary = JSON.parse(stdout) as DemoSummary;
    } catch (error) {
      throw new Error(`the demo printed no JSON summary (exit ${code}).\nstdout: ${stdout}\nstderr: ${stderr}`, { cause: error });
    }

    expect({ failures: summary.failures, stderr: summary.ok ? '' : stderr }).toEqual({ failures: [], stderr: '' });
    expect(code).toBe(0);
    expect(summary.storeKind).toBe('redis');
    expect(summary.store).toBe(url);
    expect(summary.simTimeS).toBeGreaterThanOrEqual(330);
    expect(summary.trains).toHaveLength(2);
    for (const train of summary.trains) expect({ id: train.id, served: train.stationsServed >= 2 }).toEqual({ id: train.id, served: true });
    expect(summary.authorityOverruns).toBe(0);
    expect(summary.writeErrors.total).toBe(0);
    expect(summary.powerResets).toBe(0);
    expect(summary.lostUpdates).toBe(0);
    expect(summary.corruptReads).toBe(0);
    const commits = Object.values(summary.commits.commitsByModule).reduce((a, b) => a + b, 0);
    expect(commits).toBe(summary.commits.finalRevision - summary.commits.baseRevision);
    expect(summary.commits.commitsByModule).toMatchObject({ 'train-model': expect.any(Number), wayside: expect.any(Number), controller: expect.any(Number), dispatcher: 2 });
    // The run's document really lives in Redis: the key's revision is the one the summary ends on.
    const rev = spawnSync('redis-cli', ['-p', String(redis.port), 'HGET', 'rail-demo', 'rev'], { encoding: 'utf8' });
    expect(Number(rev.stdout.trim())).toBe(summary.commits.finalRevision);

    expect(dashboardSeen).not.toBeNull();
    const seen = await (dashboardSeen as unknown as Promise<{ status: number; state: DashboardState }>);
    expect(seen.status).toBe(200);
    expect(seen.state.snapshot?.revision).toBeGreaterThan(summary.commits.baseRevision);
    expect(Object.keys(seen.state.snapshot?.value.trains ?? {})).toContain('T1');
  });
});
