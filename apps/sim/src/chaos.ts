import { setTimeout as sleep } from 'node:timers/promises';
import type { ModuleProcess } from './module-process.js';

export interface ChaosKill {
  module: string;
  pid: number;
  /** Wall ms since the run started. */
  atWallMs: number;
  /** Simulated time the parent last saw when the kill happened, s. */
  atSimS: number;
  restartedPid: number | null;
  /** Wall ms from the kill until the new process reported ready (the module's outage). */
  outageMs: number | null;
}

export interface ChaosOptions {
  random: () => number;
  /** Wall time between kills is drawn uniformly from [minGapMs, maxGapMs]. */
  minGapMs: number;
  maxGapMs: number;
  /** A killed process is restarted after a delay drawn uniformly from [0, maxRestartDelayMs]. */
  maxRestartDelayMs: number;
  simTimeS: () => number;
  startedAtMs: number;
  onKill?: (kill: ChaosKill) => void;
}

/**
 * Kills one module process at a time with SIGKILL at seeded random moments and starts a new one.
 * stop() waits for a restart in progress, so the run never ends with a module missing.
 */
export class Chaos {
  readonly kills: ChaosKill[] = [];
  private stopped = false;
  private loop: Promise<void> | null = null;
  private readonly abort = new AbortController();

  constructor(
    private readonly modules: ModuleProcess[],
    private readonly options: ChaosOptions,
  ) {}

  start(): void {
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    const { random, minGapMs, maxGapMs, maxRestartDelayMs } = this.options;
    while (!this.stopped) {
      try {
        await sleep(minGapMs + random() * (maxGapMs - minGapMs), undefined, { signal: this.abort.signal });
      } catch (error) {
        if ((error as Error).name === 'AbortError') return;
        throw error;
      }
      const target = this.modules[Math.floor(random() * this.modules.length)];
      if (target === undefined) continue;
      const restartDelayMs = random() * maxRestartDelayMs;
      const killedAt = performance.now();
      const kill: ChaosKill = {
        module: target.module,
        pid: await target.kill(),
        atWallMs: performance.now() - this.options.startedAtMs,
        atSimS: this.options.simTimeS(),
        restartedPid: null,
        outageMs: null,
      };
      // The restart happens even when stop() came meanwhile: the run ends with every module running.
      await sleep(restartDelayMs);
      await target.start();
      kill.restartedPid = target.pid;
      kill.outageMs = performance.now() - killedAt;
      this.kills.push(kill);
      this.options.onKill?.(kill);
    }
  }
}
