import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { buildTrainData } from './document.js';
import { BenchError } from './errors.js';
import { killAll, monoMs, sleep, WorkerProcess } from './worker-process.js';
import { prepareStore } from './workspace.js';

export type StaleVariant = 'atomic-file' | 'proper-lockfile-defaults' | 'proper-lockfile-tuned';

export interface StaleRecoveryRow {
  variant: StaleVariant;
  config: string;
  trials: number;
  /** SIGKILL of the holder → the waiter's update resolved, per trial (ms). */
  samplesMs: number[];
  medianMs: number;
  maxMs: number;
}

const VARIANTS: Record<StaleVariant, { contender: 'atomic-file' | 'proper-lockfile'; staleMs?: number; updateMs?: number; config: string }> = {
  'atomic-file': { contender: 'atomic-file', config: "openJsonFile defaults (durability 'durable'); holder is SIGKILLed inside update()" },
  'proper-lockfile-defaults': { contender: 'proper-lockfile', staleMs: 10_000, updateMs: 5_000, config: 'stale 10 000 ms, update 5 000 ms (defaults); waiter polls with the fast retries' },
  'proper-lockfile-tuned': { contender: 'proper-lockfile', staleMs: 2_000, updateMs: 1_000, config: 'stale 2 000 ms, update 1 000 ms (the library minimums); waiter polls with the fast retries' },
};

/** How long the waiter is left blocked on the held lock before the holder is killed. */
const WAIT_BEFORE_KILL_MS = 200;

async function trial(variant: StaleVariant, dir: string): Promise<number> {
  const spec = VARIANTS[variant];
  rmSync(dir, { recursive: true, force: true });
  const path = prepareStore(dir, 'file', buildTrainData(10));
  const init = { type: 'init', contender: spec.contender, path, staleMs: spec.staleMs, updateMs: spec.updateMs };
  const waiter = new WorkerProcess('stale-worker', `stale-lock ${variant} waiter`);
  const holder = new WorkerProcess('stale-worker', `stale-lock ${variant} holder`);
  try {
    waiter.send({ ...init, role: 'waiter' });
    await waiter.next('ready', 30_000);
    holder.send({ ...init, role: 'holder' });
    await holder.next('holding', 30_000);
    waiter.send({ type: 'go' });
    await sleep(WAIT_BEFORE_KILL_MS);
    const killedAt = monoMs();
    holder.kill('SIGKILL');
    const done = await waiter.next('done', 60_000);
    if (typeof done.atMs !== 'number') throw new BenchError('WORKER_FAILED', `stale-lock ${variant}: waiter sent no time.`);
    return done.atMs - killedAt;
  } finally {
    await killAll([waiter, holder]);
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Time from SIGKILL of the lock holder to the next successful update by a process already waiting. */
export async function runStaleRecovery(variant: StaleVariant, trials: number, workDir: string): Promise<StaleRecoveryRow> {
  const samplesMs: number[] = [];
  for (let i = 0; i < trials; i += 1) samplesMs.push(await trial(variant, join(workDir, `stale-${variant}`)));
  const sorted = [...samplesMs].sort((a, b) => a - b);
  return {
    variant,
    config: VARIANTS[variant].config,
    trials,
    samplesMs,
    medianMs: sorted[Math.floor((sorted.length - 1) / 2)] ?? Number.NaN,
    maxMs: sorted[sorted.length - 1] ?? Number.NaN,
  };
}
