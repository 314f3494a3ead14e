import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { cpus, hostname, loadavg } from 'node:os';
import { join } from 'node:path';
import type { ContenderId } from './contenders.js';
import { BenchError } from './errors.js';
import type { ReadPathRow } from './read-path.js';
import type { ContendedRow, FloorRow } from './run-contended.js';
import type { StaleRecoveryRow } from './stale-recovery.js';
import type { WatchLatency } from './watch-latency.js';

/** Throughput of a row divided by a reference's at the same process count and file size. */
export interface Ratios {
  vsSqliteJson: number | null;
  vsSqliteCounter: number | null;
  vsProperLockfileWfa: number | null;
  /** Against the floor with directory fsync (one process, same file size). */
  vsFloor: number | null;
}

export type RatedRow = ContendedRow & { ratios: Ratios };

export interface TargetCheck {
  target: string;
  measured: string;
  met: boolean;
}

export interface Machine {
  node: string;
  cpus: number;
  cpuModel: string;
  platform: string;
  host: string;
  /** 1-minute load average when the run started: a busy machine makes every figure noisy. */
  loadAverage1m: number;
}

export interface BenchResults {
  mode: 'full' | 'quick';
  date: string;
  machine: Machine;
  settings: { k: number; warmup: number; processes: number[]; workDir: string };
  /** How each contender that ran was configured. */
  contenders: Record<string, string>;
  rows: RatedRow[];
  floor: FloorRow[];
  scale: RatedRow[];
  scaleFloor: FloorRow[];
  staleRecovery: StaleRecoveryRow[];
  readPath: ReadPathRow[];
  /** One entry per store whose watch was measured (the file store, Redis). */
  watch: WatchLatency[];
  targets: TargetCheck[];
  skipped: Array<{ what: string; reason: string }>;
  warnings: string[];
}

export function describeMachine(): Machine {
  const cpuList = cpus();
  return {
    node: process.version,
    cpus: cpuList.length,
    cpuModel: cpuList[0]?.model ?? 'unknown',
    platform: `${process.platform} ${process.arch}`,
    host: hostname(),
    loadAverage1m: loadavg()[0] ?? Number.NaN,
  };
}

function ratio(row: ContendedRow, reference: { opsPerSec: number } | undefined): number | null {
  return reference === undefined || !(reference.opsPerSec > 0) ? null : row.opsPerSec / reference.opsPerSec;
}

/** Adds each row's ratios to SQLite (JSON row and counter), proper-lockfile+wfa and the floor. */
export function rate(rows: readonly ContendedRow[], floors: readonly FloorRow[]): RatedRow[] {
  const find = (id: ContenderId, like: ContendedRow) => rows.find((r) => r.contender === id && r.processes === like.processes && r.trains === like.trains);
  return rows.map((row) => ({
    ...row,
    ratios: {
      vsSqliteJson: ratio(row, find('sqlite-json', row)),
      vsSqliteCounter: ratio(row, find('sqlite-counter', row)),
      vsProperLockfileWfa: ratio(row, find('proper-lockfile+wfa', row)),
      vsFloor: ratio(row, floors.find((f) => f.variant === 'floor-dirsync' && f.trains === row.trains)),
    },
  }));
}

const fmt = (n: number | null, digits = 2): string => (n === null || Number.isNaN(n) ? 'n/a' : n.toFixed(digits));

/** The targets for @rail/atomic-file at 4 durable processes, checked against this run. */
export function checkTargets(rows: readonly RatedRow[], stale: readonly StaleRecoveryRow[]): TargetCheck[] {
  const ours = rows.find((r) => r.contender === 'atomic-file' && r.processes === 4);
  const checks: TargetCheck[] = [];
  if (ours !== undefined) {
    const vsPl = ours.ratios.vsProperLockfileWfa;
    const vsSqlite = ours.ratios.vsSqliteJson;
    const vsSqliteCounter = ours.ratios.vsSqliteCounter;
    if (vsPl !== null) checks.push({ target: '4 processes: ≥ 4× proper-lockfile + write-file-atomic', measured: `${fmt(vsPl)}×`, met: vsPl >= 4 });
    if (vsSqlite !== null) checks.push({ target: '4 processes: ≥ 1.0× SQLite synchronous=FULL (JSON-row variant)', measured: `${fmt(vsSqlite)}×`, met: vsSqlite >= 1 });
    if (vsSqliteCounter !== null) checks.push({ target: '4 processes: ≥ 1.0× SQLite synchronous=FULL (counter variant)', measured: `${fmt(vsSqliteCounter)}×`, met: vsSqliteCounter >= 1 });
    checks.push({ target: '4 processes: p99 ≤ 10 ms', measured: `${fmt(ours.p99Ms)} ms`, met: ours.p99Ms <= 10 });
    checks.push({ target: 'zero lost updates', measured: String(ours.lostUpdates ?? ours.problem), met: ours.lostUpdates === 0 && ours.failedUpdates === 0 });
    checks.push({ target: 'zero torn reads', measured: String(ours.tornReads), met: ours.tornReads === 0 && ours.counterDecreases === 0 });
  }
  const ourStale = stale.find((s) => s.variant === 'atomic-file');
  if (ourStale !== undefined) checks.push({ target: 'stale-lock recovery ≤ 50 ms (same host)', measured: `median ${fmt(ourStale.medianMs, 1)} ms, max ${fmt(ourStale.maxMs, 1)} ms`, met: ourStale.maxMs <= 50 });
  return checks;
}

function writeAtomically(path: string, text: string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, text);
  renameSync(tmp, path);
}

/** Writes latest.json and latest.md into `outDir` (each replaced atomically). */
export function writeResults(outDir: string, results: BenchResults, markdown: string): { jsonPath: string; mdPath: string } {
  const jsonPath = join(outDir, 'latest.json');
  const mdPath = join(outDir, 'latest.md');
  try {
    mkdirSync(outDir, { recursive: true });
    writeAtomically(jsonPath, `${JSON.stringify(results, null, 2)}\n`);
    writeAtomically(mdPath, markdown);
  } catch (error) {
    throw new BenchError('RESULT_WRITE_FAILED', `writing the results to ${outDir} failed: ${error instanceof Error ? error.message : String(error)}. Check the directory is writable or pass --out.`, { cause: error });
  }
  return { jsonPath, mdPath };
}
