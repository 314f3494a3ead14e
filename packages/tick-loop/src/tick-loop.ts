export interface TickLoopOptions {
  /** Simulated seconds per tick (> 0). */
  periodS: number;
  /** Wall-clock speed-up (> 0): one tick every periodS·1000/speed ms; Infinity runs ticks back to back. */
  speed: number;
  /** Stop after this many ticks. */
  maxTicks?: number | undefined;
  signal?: AbortSignal | undefined;
}

export interface TickLoop {
  /** Stops after the tick in progress. */
  stop(): Promise<void>;
  /** Resolves when the loop has stopped. */
  done: Promise<void>;
}

/**
 * Calls `tick` every periodS·1000/speed wall-clock ms (never two at once) until stopped, maxTicks
 * is reached, the signal aborts, or `tick` resolves to 'stop'. A tick that throws is handed to
 * `recordError` and the loop goes on: the store may be busy now and fine next tick.
 */
export function startTickLoop(
  options: TickLoopOptions,
  tick: (tickNumber: number) => Promise<void | 'stop'>,
  recordError: (error: Error) => void,
): TickLoop {
  if (!(options.periodS > 0) || !Number.isFinite(options.periodS) || !(options.speed > 0)) {
    throw new RangeError(
      `startTickLoop: periodS must be a finite number > 0 and speed > 0 (got periodS ${String(options.periodS)}, speed ${String(options.speed)}); fix the runner options.`,
    );
  }
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
  const reachedMax = (count: number) => options.maxTicks !== undefined && count >= options.maxTicks;

  const run = async () => {
    let count = 0;
    while (!stopping && !reachedMax(count)) {
      const startedMs = performance.now();
      count += 1;
      try {
        if ((await tick(count)) === 'stop') stopping = true;
      } catch (error) {
        recordError(error instanceof Error ? error : new Error(String(error)));
      }
      if (stopping || reachedMax(count)) break;
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
