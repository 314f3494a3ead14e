import { startTickLoop, type TickLoopOptions } from './tick-loop.js';

/** What a module runner's `stop()` and `done` resolve with. */
export interface RunnerStats {
  /** Ticks attempted. */
  ticks: number;
  /** Ticks whose `doc.update` resolved (one committed update each). */
  commits: number;
  /** Failed ticks plus per-train errors. */
  errors: number;
  lastError?: string;
}

export interface Runner {
  /** Stops after the tick in progress; resolves with the final stats. */
  stop(): Promise<RunnerStats>;
  /** Resolves when the runner stops (maxTicks reached, signal aborted, stop(), or the tick said 'stop'). */
  done: Promise<RunnerStats>;
}

/**
 * Runs `tick` on a tick loop and exposes it as a Runner whose results are snapshots of `stats`
 * (which the tick keeps up to date).
 */
export function startRunner(
  options: TickLoopOptions,
  stats: RunnerStats,
  tick: (tickNumber: number) => Promise<void | 'stop'>,
  recordError: (error: Error) => void,
): Runner {
  const loop = startTickLoop(options, tick, recordError);
  return {
    stop: async () => {
      await loop.stop();
      return { ...stats };
    },
    done: loop.done.then(() => ({ ...stats })),
  };
}
