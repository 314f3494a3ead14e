import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRedisServer, type RedisServer } from '@rail/redis-store/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { expectHealthyRun, runDemoProcess, SHORT_RUN } from './demo-run.js';

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
    // The same short run as the file-store e2e test.
    let dashboardSeen: Promise<{ status: number; state: DashboardState; error?: string }> | null = null;
    const { code, summary, stderr } = await runDemoProcess(['--store', url, '--ledger-dir', ledgerDir, '--dashboard', ...SHORT_RUN], (stderrSoFar) => {
      const found = /dashboard: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(stderrSoFar);
      if (found?.[1] && dashboardSeen === null) {
        const dashboardUrl = found[1];
        // Asked until the run is under way (its first train dispatched), so the page has trains to
        // show. The URL is printed before the modules start; a fixed 4 s raced their start-up, which
        // took over 3 s on a loaded two-core machine. If the page goes away first, status 0 and the fetch error say so.
        dashboardSeen = (async () => {
          try {
            for (;;) {
              const response = await fetch(new URL('/api/state', dashboardUrl));
              const state = (await response.json()) as DashboardState;
              if (response.status !== 200 || state.snapshot?.value.trains.T1 !== undefined) return { status: response.status, state };
              await new Promise((resolve) => setTimeout(resolve, 100));
            }
          } catch (error) {
            return { status: 0, state: { snapshot: null }, error: String(error) };
          }
        })();
      }
    });

    expectHealthyRun(summary, code, stderr);
    expect(summary.storeKind).toBe('redis');
    expect(summary.store).toBe(url);
    expect(summary.simTimeS).toBeGreaterThanOrEqual(330);
    // The run's document really lives in Redis: the key's revision is the one the summary ends on.
    const rev = spawnSync('redis-cli', ['-p', String(redis.port), 'HGET', 'rail-demo', 'rev'], { encoding: 'utf8' });
    expect(Number(rev.stdout.trim())).toBe(summary.commits.finalRevision);

    expect(dashboardSeen).not.toBeNull();
    const seen = await (dashboardSeen as unknown as Promise<{ status: number; state: DashboardState; error?: string }>);
    expect(seen.status, seen.error).toBe(200);
    expect(seen.state.snapshot?.revision).toBeGreaterThan(summary.commits.baseRevision);
    expect(Object.keys(seen.state.snapshot?.value.trains ?? {})).toContain('T1');
  });
});
