import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { BenchError } from './errors.js';

export type WorkerScript = 'rmw-worker' | 'reader-worker' | 'stale-worker' | 'watch-worker';

export interface WorkerMessage {
  type: string;
  [key: string]: unknown;
}

/** Monotonic clock in ms, the same clock the workers stamp their messages with. */
export function monoMs(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * A forked worker (plain `node`, IPC channel). Messages are queued until asked for, so a message
 * that arrives before `next()` is called is not lost.
 */
export class WorkerProcess {
  readonly child: ChildProcess;
  readonly label: string;
  private readonly queue: WorkerMessage[] = [];
  private waiter: (() => void) | null = null;
  private exitInfo: string | null = null;

  constructor(script: WorkerScript, label: string) {
    this.label = label;
    const file = fileURLToPath(new URL(`./workers/${script}.mjs`, import.meta.url));
    // execArgv [] so the workers do not inherit tsx's loader from `tsx src/main.ts`: they are measured as plain node.
    this.child = fork(file, [], { execArgv: [], stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.child.on('message', (message: WorkerMessage) => {
      this.queue.push(message);
      this.wake();
    });
    // 'close', not 'exit': it comes after the IPC channel is drained, so a message sent just before
    // the worker exits is queued before the exit is noticed.
    this.child.on('close', (code, signal) => {
      this.exitInfo = signal === null ? `exited with code ${code}` : `was killed by ${signal}`;
      this.wake();
    });
    this.child.on('error', (error) => {
      this.exitInfo = `could not run: ${error.message}`;
      this.wake();
    });
  }

  private wake(): void {
    const waiter = this.waiter;
    this.waiter = null;
    waiter?.();
  }

  send(message: WorkerMessage): void {
    if (!this.child.connected) {
      throw new BenchError('WORKER_FAILED', `${this.label}: cannot send '${message.type}', the worker ${this.exitInfo ?? 'disconnected'}.`);
    }
    this.child.send(message);
  }

  /** The next message of `type`; rejects if the worker reports 'fatal', exits first, or `timeoutMs` passes. */
  async next(type: string, timeoutMs: number): Promise<WorkerMessage> {
    const deadline = monoMs() + timeoutMs;
    for (;;) {
      const index = this.queue.findIndex((m) => m.type === type || m.type === 'fatal');
      if (index >= 0) {
        const [message] = this.queue.splice(index, 1);
        if (message === undefined) continue;
        if (message.type === 'fatal') {
          throw new BenchError('WORKER_FAILED', `${this.label} failed: ${String(message.message)}. Fix the worker or the contender's setup and rerun.`);
        }
        return message;
      }
      if (this.exitInfo !== null) {
        throw new BenchError('WORKER_FAILED', `${this.label} ${this.exitInfo} before sending '${type}'; see its stderr above.`);
      }
      const left = deadline - monoMs();
      if (left <= 0) {
        throw new BenchError('WORKER_TIMEOUT', `${this.label} sent no '${type}' within ${timeoutMs} ms; rerun with a smaller --k or on a quieter machine.`);
      }
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiter = () => {
          clearTimeout(timer);
          resolve();
        };
      });
    }
  }

  get exited(): boolean {
    return this.exitInfo !== null;
  }

  kill(signal: NodeJS.Signals = 'SIGKILL'): void {
    if (this.exitInfo === null) this.child.kill(signal);
  }

  /** Resolves once the process has exited (kills it with SIGKILL after `timeoutMs`). */
  async waitExit(timeoutMs = 10_000): Promise<void> {
    if (this.exitInfo !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('close', () => resolve()));
    const timer = setTimeout(() => this.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}

/** Kills every worker still running (used when a run fails half way, so none is left behind). */
export async function killAll(workers: readonly WorkerProcess[]): Promise<void> {
  for (const w of workers) w.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.waitExit()));
}
