import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const APP_DIR = fileURLToPath(new URL('..', import.meta.url));
const TSX = fileURLToPath(new URL('../../../node_modules/.bin/tsx', import.meta.url));
const OURS_BUILT = existsSync(join(APP_DIR, '../../packages/atomic-file/dist/index.js'));
const K = 20;
const WARMUP = 3;
const PROCESSES = 4;

interface Row {
  contender: string;
  processes: number;
  trains: number;
  updates: number;
  failedUpdates: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  expected: number;
  final: number | null;
  lostUpdates: number | null;
  tornReads: number;
  readerReads: number;
  counterDecreases: number;
  ratios: { vsSqliteJson: number | null; vsSqliteCounter: number | null; vsProperLockfileWfa: number | null; vsFloor: number | null };
}

function runBench(args: string[], dir: string, env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string; json: Record<string, unknown> } {
  const out = join(dir, 'results');
  const run = spawnSync(TSX, ['src/main.ts', ...args, '--out', out, '--dir', join(dir, 'work')], { cwd: APP_DIR, encoding: 'utf8', timeout: 60_000, env });
  const jsonPath = join(out, 'latest.json');
  const json = existsSync(jsonPath) ? (JSON.parse(readFileSync(jsonPath, 'utf8')) as Record<string, unknown>) : {};
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, json };
}

describe('pnpm bench --quick with a tiny K', () => {
  let dir: string;
  let result: ReturnType<typeof runBench>;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rail-bench-quick-'));
    result = runBench(['--quick', '--k', String(K), '--warmup', String(WARMUP)], dir);
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('exits 0 and prints the markdown report it also writes to latest.md', () => {
    expect(result.stderr).not.toMatch(/^bench: /m);
    expect(result.status).toBe(0);
    const md = readFileSync(join(dir, 'results', 'latest.md'), 'utf8');
    expect(result.stdout).toBe(md);
    expect(md).toContain('| contender | procs |');
    expect(md).toContain('| proper-lockfile+wfa | 4 |');
    expect(md).toContain('| sqlite-json | 4 |');
    expect(md).toContain('| redis-store | 4 |');
  });

  it('writes latest.json with the machine, the date and one row per locked contender at 4 processes', () => {
    const json = result.json;
    expect(json.mode).toBe('quick');
    expect(json.machine).toMatchObject({ node: process.version, cpus: cpus().length });
    const ageMs = Date.now() - Date.parse(String(json.date));
    expect(ageMs).toBeGreaterThanOrEqual(0);
    expect(ageMs).toBeLessThan(120_000);
    const rows = json.rows as Row[];
    // redis-server is installed here and in CI, so the Redis row (appendfsync always) must be there.
    const expectedContenders = ['proper-lockfile+wfa', 'sqlite-counter', 'sqlite-json', 'redis-store', ...(OURS_BUILT ? ['atomic-file'] : [])].sort();
    expect(rows.map((r) => r.contender).sort()).toEqual(expectedContenders);
    for (const row of rows) {
      expect(row.processes).toBe(PROCESSES);
      expect(row.trains).toBe(10);
      expect(row.opsPerSec).toBeGreaterThan(0);
      expect(row.p50Ms).toBeLessThanOrEqual(row.p99Ms);
      expect(row.readerReads).toBeGreaterThan(0);
    }
    if (!OURS_BUILT) expect((json.skipped as Array<{ what: string }>)[0]?.what).toContain('@rail/atomic-file');
  });

  it('counts every increment of every locked contender: 4 × 3 warm-up + 4 × 20 timed = 92, none lost, no torn read', () => {
    for (const row of result.json.rows as Row[]) {
      expect({ contender: row.contender, updates: row.updates, failed: row.failedUpdates, expected: row.expected, final: row.final, lost: row.lostUpdates, torn: row.tornReads, back: row.counterDecreases }).toEqual({
        contender: row.contender,
        updates: 80,
        failed: 0,
        expected: 92,
        final: 92,
        lost: 0,
        torn: 0,
        back: 0,
      });
    }
  });

  it('rates every row against SQLite, proper-lockfile+wfa and the floor', () => {
    const rows = result.json.rows as Row[];
    const sqliteJson = rows.find((r) => r.contender === 'sqlite-json');
    const pl = rows.find((r) => r.contender === 'proper-lockfile+wfa');
    expect(sqliteJson?.ratios.vsSqliteJson).toBe(1);
    expect(pl?.ratios.vsProperLockfileWfa).toBe(1);
    for (const row of rows) {
      expect(row.ratios.vsSqliteJson).toBeCloseTo(row.opsPerSec / (sqliteJson?.opsPerSec ?? Number.NaN), 9);
      expect(row.ratios.vsProperLockfileWfa).toBeCloseTo(row.opsPerSec / (pl?.opsPerSec ?? Number.NaN), 9);
      expect(row.ratios.vsFloor).toBeGreaterThan(0);
    }
    const floors = (result.json.floor as Array<{ variant: string; updates: number }>).map((f) => f.variant).sort();
    expect(floors).toEqual(['floor', 'floor-dirsync']);
  });
});

describe('without redis-server', () => {
  it('lists the Redis row as skipped with the reason and still runs the others', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rail-bench-noredis-'));
    try {
      // A redis-server first on PATH that fails `--version`, as a machine without Redis would.
      const bin = join(dir, 'bin');
      const fake = join(bin, 'redis-server');
      mkdirSync(bin);
      writeFileSync(fake, '#!/bin/sh\necho "redis-server: not really installed" >&2\nexit 127\n');
      chmodSync(fake, 0o755);
      const { status, stderr, json } = runBench(['--quick', '--k', '5', '--only', 'redis-store,sqlite-json'], dir, { ...process.env, PATH: `${bin}${delimiter}${process.env.PATH ?? ''}` });
      expect(stderr).not.toMatch(/^bench: /m);
      expect(status).toBe(0);
      expect((json.rows as Row[]).map((r) => r.contender)).toEqual(['sqlite-json']);
      const skipped = json.skipped as Array<{ what: string; reason: string }>;
      expect(skipped).toHaveLength(1);
      expect(skipped[0]?.what).toContain('redis-store');
      expect(skipped[0]?.reason).toMatch(/redis-server is not on PATH/);
      expect(readFileSync(join(dir, 'results', 'latest.md'), 'utf8')).toMatch(/## Skipped\n\n- @rail\/redis-store rows \(redis-store\): .*redis-server is not on PATH/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a contender without a lock', () => {
  it('is reported with the updates it lost (write-file-atomic alone, 4 writers)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rail-bench-unlocked-'));
    try {
      const { status, json } = runBench(['--quick', '--k', '50', '--warmup', '5', '--only', 'write-file-atomic'], dir);
      expect(status).toBe(0);
      const [row] = json.rows as Row[];
      // The warm-up runs one writer at a time (nothing lost there); then four unlocked
      // read-modify-write loops started together overwrite each other's increments.
      expect(row?.updates).toBe(200);
      expect(row?.expected).toBe(4 * 5 + 200);
      expect(row?.final).toBeLessThan(220);
      expect(row?.final).toBeGreaterThanOrEqual(20);
      expect(row?.lostUpdates).toBe(220 - (row?.final ?? 0));
      expect(row?.lostUpdates).toBeGreaterThan(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
