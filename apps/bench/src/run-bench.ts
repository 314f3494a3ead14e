import { mkdirSync } from 'node:fs';
import { probeAtomicFile } from './atomic-file-probe.js';
import { CONTENDERS, redisContenders, type ContenderId } from './contenders.js';
import type { BenchOptions } from './options.js';
import { runReadPath, type ReadPathRow } from './read-path.js';
import { probeRedis, type RedisAvailability } from './redis-backend.js';
import { checkTargets, describeMachine, rate, type BenchResults } from './results.js';
import { runContended, runFloor, type ContendedRow, type FloorRow } from './run-contended.js';
import { runStaleRecovery, type StaleRecoveryRow, type StaleVariant } from './stale-recovery.js';
import { runWatchLatency, type WatchLatency } from './watch-latency.js';
import { diskWarning } from './workspace.js';

/** The contended rows use a 10-train document: the size of a busy course simulation. */
export const MAIN_TRAINS = 10;

function scaledK(k: number, trains: number): number {
  // Whole-file rewrites of a 1.4 MB document take tens of ms: keep each scale row to seconds.
  if (trains >= 1000) return Math.max(10, Math.ceil(k / 10));
  if (trains >= 100) return Math.max(10, Math.ceil(k / 2));
  return k;
}

/** Runs every section `options` asks for; `log` gets one progress line per row. */
export async function runBench(options: BenchOptions, log: (line: string) => void = () => {}): Promise<BenchResults> {
  const date = new Date().toISOString();
  const machine = describeMachine();
  mkdirSync(options.workDir, { recursive: true });
  const warnings: string[] = [];
  const disk = diskWarning(options.workDir);
  if (disk !== null) warnings.push(disk);
  if (machine.loadAverage1m > machine.cpus * 0.5) {
    warnings.push(`load average ${machine.loadAverage1m.toFixed(2)} on ${machine.cpus} CPUs at start: other work is running, so these figures are noisy.`);
  }
  const skipped: BenchResults['skipped'] = [];

  const wantsOurs = options.contenders.some((id) => CONTENDERS[id].needsAtomicFile) || options.scaleContenders.some((id) => CONTENDERS[id].needsAtomicFile);
  const atomicFile = wantsOurs || options.mode === 'full' ? await probeAtomicFile(options.workDir) : ({ ok: false, reason: 'not requested' } as const);
  if (!atomicFile.ok && wantsOurs) skipped.push({ what: '@rail/atomic-file rows, its stale-lock recovery, read() and watch', reason: atomicFile.reason });
  const redisRows = redisContenders(options.contenders);
  const wantsRedisWatch = options.watchCommits > 0;
  const redis: RedisAvailability = redisRows.length > 0 || wantsRedisWatch ? await probeRedis() : { ok: false, reason: 'not requested' };
  if (!redis.ok && (redisRows.length > 0 || wantsRedisWatch)) {
    skipped.push({ what: `@rail/redis-store rows (${[...redisRows, ...(wantsRedisWatch ? ['watch latency'] : [])].join(', ')})`, reason: redis.reason });
  }
  if (redis.ok && redis.diskWarning !== null) warnings.push(redis.diskWarning);
  const runnable = (id: ContenderId): boolean => (atomicFile.ok || !CONTENDERS[id].needsAtomicFile) && (redis.ok || CONTENDERS[id].redisAppendfsync === null);

  const floorWrites = Math.max(200, options.k);
  const floor: FloorRow[] = [];
  for (const variant of ['floor', 'floor-dirsync'] as const) {
    floor.push(await runFloor({ variant, k: floorWrites, trains: MAIN_TRAINS, workDir: options.workDir }));
    log(`floor ${variant}: ${floor[floor.length - 1]?.opsPerSec.toFixed(0)} ops/s`);
  }

  const rows: ContendedRow[] = [];
  for (const processes of options.processes) {
    for (const contender of options.contenders.filter(runnable)) {
      const row = await runContended({ contender, processes, k: options.k, warmup: options.warmup, trains: MAIN_TRAINS, workDir: options.workDir, redis });
      rows.push(row);
      log(`${contender} × ${processes}: ${row.opsPerSec.toFixed(0)} ops/s, p99 ${row.p99Ms.toFixed(2)} ms, lost ${row.lostUpdates ?? 'n/a'}, torn ${row.tornReads}, failed ${row.failedUpdates}`);
    }
  }

  const staleRecovery: StaleRecoveryRow[] = [];
  const stalePlan: Array<[StaleVariant, number]> = [
    ['atomic-file', atomicFile.ok ? options.staleTrials.atomicFile : 0],
    ['proper-lockfile-tuned', options.contenders.includes('proper-lockfile+wfa') ? options.staleTrials.properLockfileTuned : 0],
    ['proper-lockfile-defaults', options.contenders.includes('proper-lockfile+wfa') ? options.staleTrials.properLockfileDefaults : 0],
  ];
  for (const [variant, trials] of stalePlan) {
    if (trials === 0) continue;
    staleRecovery.push(await runStaleRecovery(variant, trials, options.workDir));
    log(`stale-lock ${variant}: median ${staleRecovery[staleRecovery.length - 1]?.medianMs.toFixed(1)} ms`);
  }

  let readPath: ReadPathRow[] = [];
  if (options.readPathIterations > 0) {
    readPath = await runReadPath(options.readPathIterations, options.workDir, atomicFile);
    log(`read path: ${readPath.length} operations`);
  }
  const watch: WatchLatency[] = [];
  if (options.watchCommits > 0) {
    const stores = [...(atomicFile.ok ? (['atomic-file'] as const) : []), ...(redis.ok ? (['redis-store'] as const) : [])];
    for (const store of stores) {
      const w = await runWatchLatency(store, options.watchCommits, 10, options.workDir, redis);
      watch.push(w);
      log(`watch ${store}: p50 ${w.p50Ms.toFixed(2)} ms, p99 ${w.p99Ms.toFixed(2)} ms, ${w.notified}/${w.commits} notified`);
    }
  }

  const scale: ContendedRow[] = [];
  const scaleFloor: FloorRow[] = [];
  for (const trains of options.scaleTrains) {
    const k = scaledK(options.k, trains);
    scaleFloor.push(await runFloor({ variant: 'floor-dirsync', k: Math.max(k, 50), trains, workDir: options.workDir }));
    for (const contender of options.scaleContenders.filter(runnable)) {
      const row = await runContended({ contender, processes: 4, k, warmup: options.warmup, trains, workDir: options.workDir });
      scale.push(row);
      log(`scale ${trains} trains, ${contender}: ${row.opsPerSec.toFixed(0)} ops/s, p99 ${row.p99Ms.toFixed(2)} ms`);
    }
  }

  const rated = rate(rows, floor);
  return {
    mode: options.mode,
    date,
    machine,
    settings: { k: options.k, warmup: options.warmup, processes: options.processes, workDir: options.workDir },
    contenders: Object.fromEntries([...new Set([...rows, ...scale].map((r) => r.contender))].map((id) => [id, CONTENDERS[id].config])),
    rows: rated,
    floor,
    scale: rate(scale, scaleFloor),
    scaleFloor,
    staleRecovery,
    readPath,
    watch,
    targets: checkTargets(rated, staleRecovery),
    skipped,
    warnings,
  };
}
