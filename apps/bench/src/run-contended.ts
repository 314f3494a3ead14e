import { rmSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { TrainData } from '@rail/schema';
import { CONTENDERS, type ContenderId, type FloorId, type StorageKind } from './contenders.js';
import { buildTrainData, readCounter } from './document.js';
import { BenchError } from './errors.js';
import { summarize } from './quantiles.js';
import { startRedisRowStore, type RedisAvailability } from './redis-backend.js';
import { killAll, WorkerProcess } from './worker-process.js';
import { prepareStore, readFinalCounter, type FinalCounter } from './workspace.js';

export interface ContendedRow {
  contender: ContenderId;
  processes: number;
  trains: number;
  documentBytes: number;
  /** Size of the file the contender left (its own formatting, e.g. indentation); null for SQLite and Redis. */
  fileBytesAfter: number | null;
  /** Updates each process attempted. */
  k: number;
  /** Updates that resolved without error (all processes). */
  updates: number;
  failedUpdates: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** Untimed warm-up updates per writer (before the barrier). */
  warmup: number;
  /** Initial counter + successful warm-up and timed updates. */
  expected: number;
  /** Counter after the run; null when the run left the document unreadable (see `problem`). */
  final: number | null;
  lostUpdates: number | null;
  /** Reader parses that failed (partial or empty text). */
  tornReads: number;
  readerReads: number;
  /** Reader saw the counter go back (a stale writer overwrote newer data). */
  counterDecreases: number;
  /** Reader found no file (ENOENT) mid-replace. */
  missingReads: number;
  problem: string | null;
  errorSamples: string[];
}

export interface FloorRow {
  variant: FloorId;
  trains: number;
  documentBytes: number;
  updates: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

interface RunPlan {
  contender: ContenderId | FloorId;
  storage: StorageKind;
  processes: number;
  k: number;
  /** Untimed updates per writer before the barrier, one writer at a time. */
  warmup: number;
  trains: number;
  /** Run a concurrent reader process. */
  reader: boolean;
  workDir: string;
}

interface RawRun {
  /** Warm-up updates that succeeded (all writers). */
  warmedUp: number;
  latenciesMs: number[];
  failed: number;
  errorSamples: string[];
  elapsedMs: number;
  reader: { reads: number; tornReads: number; missing: number; counterDecreases: number } | null;
}

/** The store one row runs against: a file or SQLite database in the row's directory, or a Redis key. */
interface RowStore {
  /** What the workers open: a path, or a redis:// URL. */
  location: string;
  readFinalCounter(): Promise<FinalCounter>;
  /** Size of the file left behind (null for a database or Redis). */
  fileBytesAfter(): number | null;
  /** Removes the row's files (kept after a failed row, for inspection) and stops its Redis server. */
  dispose(options: { keepFiles: boolean }): Promise<void>;
}

const SETUP_TIMEOUT_MS = 30_000;

function asNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || Number.isNaN(value)) throw new BenchError('WORKER_FAILED', `worker sent a non-number ${what}: ${String(value)}.`);
  return value;
}

function rowName(contender: ContenderId | FloorId, processes: number, trains: number): string {
  return `${contender}-p${processes}-t${trains}`;
}

async function openRowStore(plan: RunPlan, doc: TrainData, redis: RedisAvailability | undefined): Promise<RowStore> {
  const name = rowName(plan.contender, plan.processes, plan.trains);
  if (plan.storage === 'redis') {
    const appendfsync = plan.contender in CONTENDERS ? CONTENDERS[plan.contender as ContenderId].redisAppendfsync : null;
    if (redis === undefined || !redis.ok || appendfsync === null) {
      throw new BenchError(
        'CONTENDER_UNAVAILABLE',
        `${plan.contender}: cannot run the row, no usable redis-server (${redis !== undefined && !redis.ok ? redis.reason : 'Redis was not probed'}). Install redis-server and build @rail/redis-store, or leave the Redis rows out with --only.`,
      );
    }
    const store = await startRedisRowStore(redis, appendfsync, doc, `bench:${name}`);
    return { location: store.url, readFinalCounter: () => store.readFinalCounter(), fileBytesAfter: () => null, dispose: () => store.stop() };
  }
  const storage = plan.storage;
  const rowDir = join(plan.workDir, name);
  rmSync(rowDir, { recursive: true, force: true });
  const path = prepareStore(rowDir, storage, doc);
  return {
    location: path,
    readFinalCounter: async () => readFinalCounter(path, storage),
    fileBytesAfter: () => (storage === 'file' ? statSync(path).size : null),
    dispose: async ({ keepFiles }) => {
      if (!keepFiles) rmSync(rowDir, { recursive: true, force: true });
    },
  };
}

async function runWorkers(plan: RunPlan, path: string): Promise<RawRun> {
  const writers = Array.from({ length: plan.processes }, (_, i) => new WorkerProcess('rmw-worker', `${plan.contender} writer ${i + 1}/${plan.processes}`));
  const reader = plan.reader ? new WorkerProcess('reader-worker', `${plan.contender} reader`) : null;
  const all = reader === null ? writers : [...writers, reader];
  // Generous: a slow lock under 8 writers on a busy 2-core VM still finishes; a hang does not.
  const runTimeoutMs = 120_000 + plan.processes * plan.k * 50;
  try {
    for (const w of writers) w.send({ type: 'init', contender: plan.contender, path, k: plan.k });
    reader?.send({ type: 'init', kind: plan.storage, path });
    await Promise.all(all.map((w) => w.next('ready', SETUP_TIMEOUT_MS)));
    // Warm-up (JIT, caches, the store's own first-use work), one writer at a time so that no
    // contender loses an update here: the timed run then measures the steady state.
    let warmedUp = 0;
    if (plan.warmup > 0) {
      for (const w of writers) {
        w.send({ type: 'warmup', n: plan.warmup });
        warmedUp += asNumber((await w.next('warmed', SETUP_TIMEOUT_MS)).succeeded, 'succeeded');
      }
    }
    // The barrier: every writer is set up (modules loaded, handles open) before any starts.
    for (const w of writers) w.send({ type: 'go' });
    const dones = await Promise.all(writers.map((w) => w.next('done', runTimeoutMs)));
    let readerResult: RawRun['reader'] = null;
    if (reader !== null) {
      reader.send({ type: 'stop' });
      const r = await reader.next('done', SETUP_TIMEOUT_MS);
      readerResult = {
        reads: asNumber(r.reads, 'reads'),
        tornReads: asNumber(r.tornReads, 'tornReads'),
        missing: asNumber(r.missing, 'missing'),
        counterDecreases: asNumber(r.counterDecreases, 'counterDecreases'),
      };
    }
    await Promise.all(all.map((w) => w.waitExit()));
    const latenciesMs = dones.flatMap((d) => (Array.isArray(d.latenciesMs) ? (d.latenciesMs as number[]) : []));
    const start = Math.min(...dones.map((d) => asNumber(d.startMs, 'startMs')));
    const end = Math.max(...dones.map((d) => asNumber(d.endMs, 'endMs')));
    return {
      warmedUp,
      latenciesMs,
      failed: dones.reduce((sum, d) => sum + asNumber(d.failed, 'failed'), 0),
      errorSamples: [...new Set(dones.flatMap((d) => (Array.isArray(d.errorSamples) ? (d.errorSamples as string[]) : [])))].slice(0, 3),
      elapsedMs: end - start,
      reader: readerResult,
    };
  } finally {
    await killAll(all);
  }
}

/** N processes each doing K read-modify-write increments of the shared counter, plus a reader. */
export async function runContended(options: { contender: ContenderId; processes: number; k: number; warmup: number; trains: number; workDir: string; redis?: RedisAvailability }): Promise<ContendedRow> {
  const info = CONTENDERS[options.contender];
  const plan: RunPlan = { contender: options.contender, processes: options.processes, k: options.k, warmup: options.warmup, trains: options.trains, workDir: options.workDir, storage: info.storage, reader: true };
  const doc = buildTrainData(options.trains);
  const initial = readCounter(doc) ?? 0;
  const store = await openRowStore(plan, doc, options.redis);
  let raw: RawRun;
  let final: FinalCounter;
  let fileBytesAfter: number | null;
  try {
    raw = await runWorkers(plan, store.location);
    final = await store.readFinalCounter();
    fileBytesAfter = store.fileBytesAfter();
  } catch (error) {
    await store.dispose({ keepFiles: true });
    throw error;
  }
  await store.dispose({ keepFiles: false });
  const lat = summarize(raw.latenciesMs);
  const updates = raw.latenciesMs.length;
  const expected = initial + raw.warmedUp + updates;
  const reader = raw.reader ?? { reads: 0, tornReads: 0, missing: 0, counterDecreases: 0 };
  return {
    contender: options.contender,
    processes: options.processes,
    trains: options.trains,
    documentBytes: Buffer.byteLength(JSON.stringify(doc)),
    fileBytesAfter,
    k: options.k,
    warmup: options.warmup,
    updates,
    failedUpdates: raw.failed,
    opsPerSec: raw.elapsedMs > 0 ? (updates / raw.elapsedMs) * 1000 : Number.NaN,
    p50Ms: lat.p50Ms,
    p99Ms: lat.p99Ms,
    maxMs: lat.maxMs,
    expected,
    final: final.ok ? final.value : null,
    lostUpdates: final.ok ? expected - final.value : null,
    tornReads: reader.tornReads,
    readerReads: reader.reads,
    counterDecreases: reader.counterDecreases,
    missingReads: reader.missing,
    problem: final.ok ? null : final.problem,
    errorSamples: raw.errorSamples,
  };
}

/** One process rewriting the document durably in a loop: the ceiling for any whole-file rewrite. */
export async function runFloor(options: { variant: FloorId; k: number; trains: number; workDir: string }): Promise<FloorRow> {
  const plan: RunPlan = { contender: options.variant, storage: 'file', processes: 1, k: options.k, warmup: 0, trains: options.trains, reader: false, workDir: options.workDir };
  const doc = buildTrainData(options.trains);
  const store = await openRowStore(plan, doc, undefined);
  let raw: RawRun;
  try {
    raw = await runWorkers(plan, store.location);
  } catch (error) {
    await store.dispose({ keepFiles: true });
    throw error;
  }
  await store.dispose({ keepFiles: false });
  if (raw.failed > 0) {
    throw new BenchError('WORKER_FAILED', `floor loop (${options.variant}) failed ${raw.failed} of ${options.k} writes in ${options.workDir}: ${raw.errorSamples.join('; ')}. Check the disk.`);
  }
  const lat = summarize(raw.latenciesMs);
  return {
    variant: options.variant,
    trains: options.trains,
    documentBytes: Buffer.byteLength(JSON.stringify(doc)),
    updates: raw.latenciesMs.length,
    opsPerSec: raw.elapsedMs > 0 ? (raw.latenciesMs.length / raw.elapsedMs) * 1000 : Number.NaN,
    p50Ms: lat.p50Ms,
    p99Ms: lat.p99Ms,
    maxMs: lat.maxMs,
  };
}
