import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { isTrainData, parseTrainData } from '@rail/schema';
import type { AtomicFileAvailability } from './atomic-file-probe.js';
import { buildTrainData } from './document.js';
import { BenchError } from './errors.js';
import { summarize } from './quantiles.js';
import { killAll, WorkerProcess } from './worker-process.js';
import { prepareStore } from './workspace.js';

export interface ReadPathRow {
  operation: string;
  iterations: number;
  opsPerSec: number;
  p50Ms: number;
  p99Ms: number;
}

export interface WatchLatency {
  commits: number;
  notified: number;
  /** Commits the watcher never reported. */
  missed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: string[];
}

async function time(operation: string, iterations: number, fn: () => unknown): Promise<ReadPathRow> {
  // Warm-up so the JIT and the page cache are in the same state for every operation.
  for (let i = 0; i < Math.min(200, iterations); i += 1) await fn();
  const samples: number[] = [];
  const start = performance.now();
  for (let i = 0; i < iterations; i += 1) {
    const t0 = performance.now();
    await fn();
    samples.push(performance.now() - t0);
  }
  const elapsed = performance.now() - start;
  const s = summarize(samples);
  return { operation, iterations, opsPerSec: (iterations / elapsed) * 1000, p50Ms: s.p50Ms, p99Ms: s.p99Ms };
}

/** Read + validate a 10-train file, against JSON.parse alone (in this process, no contention). */
export async function runReadPath(iterations: number, workDir: string, atomicFile: AtomicFileAvailability): Promise<ReadPathRow[]> {
  const dir = join(workDir, 'read-path');
  rmSync(dir, { recursive: true, force: true });
  const path = prepareStore(dir, 'file', buildTrainData(10));
  const text = readFileSync(path, 'utf8');
  try {
    const rows = [
      await time('JSON.parse (text in memory)', iterations, () => JSON.parse(text)),
      await time('readFileSync + JSON.parse', iterations, () => JSON.parse(readFileSync(path, 'utf8'))),
      await time('readFileSync + JSON.parse + isTrainData', iterations, () => {
        if (!isTrainData(JSON.parse(readFileSync(path, 'utf8')))) throw new BenchError('SETUP_FAILED', `${path}: read-path document is not valid.`);
      }),
      await time('readFileSync + parseTrainData', iterations, () => {
        if (!parseTrainData(readFileSync(path, 'utf8'), { source: path }).ok) throw new BenchError('SETUP_FAILED', `${path}: read-path document is not valid.`);
      }),
    ];
    if (atomicFile.ok) {
      const handle = await atomicFile.openJsonFile(path, { durability: 'durable', validate: isTrainData });
      try {
        rows.push(await time('@rail/atomic-file read() (validates)', iterations, () => handle.read()));
      } finally {
        await handle.close();
      }
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Commit (writer's update resolved) → listener called in another process, for @rail/atomic-file watch. */
export async function runWatchLatency(count: number, intervalMs: number, workDir: string): Promise<WatchLatency> {
  const dir = join(workDir, 'watch');
  rmSync(dir, { recursive: true, force: true });
  const path = prepareStore(dir, 'file', buildTrainData(10));
  const watcher = new WorkerProcess('watch-worker', 'watch latency watcher');
  const writer = new WorkerProcess('watch-worker', 'watch latency writer');
  try {
    watcher.send({ type: 'init', role: 'watcher', path });
    writer.send({ type: 'init', role: 'writer', path, count, intervalMs });
    await Promise.all([watcher.next('ready', 30_000), writer.next('ready', 30_000)]);
    writer.send({ type: 'go' });
    const written = await writer.next('done', 60_000 + count * intervalMs * 4);
    // Let the last notification arrive before stopping the watcher.
    await new Promise((resolve) => setTimeout(resolve, 500));
    watcher.send({ type: 'stop' });
    const watched = await watcher.next('done', 30_000);
    const commits = (written.commits ?? []) as Array<{ revision: number; atMs: number }>;
    const seen = new Map<number, number>();
    for (const s of (watched.seen ?? []) as Array<{ revision: number; atMs: number }>) if (!seen.has(s.revision)) seen.set(s.revision, s.atMs);
    const latencies: number[] = [];
    for (const c of commits) {
      const at = seen.get(c.revision);
      if (at !== undefined) latencies.push(at - c.atMs);
    }
    const s = summarize(latencies);
    return { commits: commits.length, notified: latencies.length, missed: commits.length - latencies.length, p50Ms: s.p50Ms, p99Ms: s.p99Ms, maxMs: s.maxMs, errors: (watched.errors ?? []) as string[] };
  } finally {
    await killAll([watcher, writer]);
    rmSync(dir, { recursive: true, force: true });
  }
}
