/** What a runner's `stop()` and `done` resolve with. */
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
  /** Resolves when the runner stops (maxTicks reached, signal aborted or stop()). */
  done: Promise<RunnerStats>;
}

export interface TickLoopOptions {
  periodS: number;
  speed: number;
  maxTicks: number | undefined;
  signal: AbortSignal | undefined;
}

/**
 * Calls `tick` every periodS·1000/speed wall-clock ms (never two at once) until stopped. A tick
 * that throws is counted and the loop goes on: the store may be busy now and fine next tick.
 * `speed: Infinity` runs ticks back to back.
 */
export function startTickLoop(
  options: TickLoopOptions,
  tick: (tickNumber: number) => Promise<void>,
  recordError: (error: Error) => void,
): { stop(): Promise<void>; done: Promise<void> } {
  const intervalMs = (options.periodS * 1000) / options.speed;
  let stopping = false;
  let wake: (() => void) | null = null;
  let timer: NodeJS.Timeout | null = null;
  const requestStop = () => {
    stopping = true;
    if (timer !== null) clearTimeout(timer);
    wake?.();
  };
  if (options.signal?.aborted) stopping = true;
  options.signal?.addEventListener('abort', requestStop, { once: true });

  const run = async () => {
    let count = 0;
    while (!stopping && (options.maxTicks === undefined || count < options.maxTicks)) {
      const startedMs = performance.now();
      count += 1;
      try {
        await tick(count);
      } catch (error) {
        recordError(error instanceof Error ? error : new Error(String(error)));
      }
      if (stopping || (options.maxTicks !== undefined && count >= options.maxTicks)) break;
      const waitMs = Math.max(0, intervalMs - (performance.now() - startedMs));
      await new Promise<void>((resolve) => {
        wake = resolve;
        timer = setTimeout(resolve, waitMs);
      });
      wake = null;
      timer = null;
    }
    options.signal?.removeEventListener('abort', requestStop);
  };
  const done = run();
  return {
    stop: async () => {
      requestStop();
      await done;
    },
    done,
  };
}
