import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrainData } from './document.js';
import { BenchError } from './errors.js';
import { summarize } from './quantiles.js';
import { startRedisRowStore, type RedisAvailability } from './redis-backend.js';
import { killAll, WorkerProcess } from './worker-process.js';
import { prepareStore } from './workspace.js';

/** The stores whose `watch` is measured. */
export type WatchStore = 'atomic-file' | 'redis-store';

export interface WatchLatency {
  store: WatchStore;
  /** How the store was opened and, for Redis, how its server was configured. */
  config: string;
  commits: number;
  notified: number;
  /** Commits the watcher never reported. */
  missed: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  errors: string[];
}

const CONFIG: Record<WatchStore, string> = {
  'atomic-file': "openJsonFile(path, { durability: 'durable', validate: isTrainData }).watch (file change notification + poll)",
  'redis-store': "openStore('redis://…', { validate: isTrainData }).watch (pub/sub), redis-server with appendfsync always",
};

/**
 * Commit (the writer's update resolved) → listener called in another process, one commit every
 * `intervalMs`. `redis` is required for the Redis store (the bench starts a fresh server for it).
 */
export async function runWatchLatency(store: WatchStore, count: number, intervalMs: number, workDir: string, redis?: RedisAvailability): Promise<WatchLatency> {
  const doc = buildTrainData(10);
  let location: string;
  let dispose: () => Promise<void>;
  if (store === 'redis-store') {
    if (redis === undefined || !redis.ok) {
      throw new BenchError('CONTENDER_UNAVAILABLE', `redis-store watch latency: no usable redis-server (${redis?.ok === false ? redis.reason : 'Redis was not probed'}); runBench skips it in that case.`);
    }
    const server = await startRedisRowStore(redis, 'always', doc, 'bench:watch');
    location = server.url;
    dispose = () => server.stop();
  } else {
    const dir = join(workDir, 'watch');
    rmSync(dir, { recursive: true, force: true });
    location = prepareStore(dir, 'file', doc);
    dispose = async () => rmSync(dir, { recursive: true, force: true });
  }
  const watcher = new WorkerProcess('watch-worker', `${store} watch latency watcher`);
  const writer = new WorkerProcess('watch-worker', `${store} watch latency writer`);
  try {
    watcher.send({ type: 'init', role: 'watcher', store, path: location });
    writer.send({ type: 'init', role: 'writer', store, path: location, count, intervalMs });
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
    return {
      store,
      config: CONFIG[store],
      commits: commits.length,
      notified: latencies.length,
      missed: commits.length - latencies.length,
      p50Ms: s.p50Ms,
      p99Ms: s.p99Ms,
      maxMs: s.maxMs,
      errors: (watched.errors ?? []) as string[],
    };
  } finally {
    await killAll([watcher, writer]);
    await dispose();
  }
}
