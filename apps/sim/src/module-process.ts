import { spawn, type ChildProcess } from 'node:child_process';
import type { StoreStats } from '@rail/atomic-file';
import { SimError } from './errors.js';
import { processScript, tsxLoader } from './paths.js';
import type { ModuleMessage, RunnerStats } from './processes/module-host.js';

export type ModuleName = 'train-model' | 'wayside' | 'controller';

export interface ModuleArgs {
  /** The store URL (or file path) the module opens with openStore. */
  store: string;
  speed: number;
  periodS: number;
  line: string;
  ledgerDir: string;
}

/** One incarnation of a module process as the parent sees it. */
export interface Incarnation {
  module: ModuleName;
  pid: number;
  killed: boolean;
  /** The last store stats it reported (a killed process's last report is up to 0.5 s old). */
  store: StoreStats | null;
  /** Its runner's final stats; only a process that stopped cleanly has them. */
  runner: RunnerStats | null;
  exitCode: number | null;
  stderr: string;
}

const READY_TIMEOUT_MS = 30_000;
const STOP_TIMEOUT_MS = 10_000;

/** A module process: started as `node --import tsx processes/<module>.ts`, supervised over IPC, killable, restartable. */
export class ModuleProcess {
  readonly incarnations: Incarnation[] = [];
  private child: ChildProcess | null = null;
  private current: Incarnation | null = null;
  private exited: Promise<void> = Promise.resolve();

  constructor(
    readonly module: ModuleName,
    private readonly args: ModuleArgs,
  ) {}

  get pid(): number | null {
    return this.current?.pid ?? null;
  }

  /** Starts a new incarnation; resolves once it has opened the file and started its runner. */
  async start(): Promise<void> {
    const child = spawn(
      process.execPath,
      [
        '--import',
        tsxLoader(),
        processScript(this.module),
        '--store',
        this.args.store,
        '--speed',
        String(this.args.speed),
        '--period',
        String(this.args.periodS),
        '--line',
        this.args.line,
        '--ledger-dir',
        this.args.ledgerDir,
      ],
      { stdio: ['ignore', 'inherit', 'pipe', 'ipc'] },
    );
    if (child.pid === undefined) {
      throw new SimError('PROCESS_FAILED', `could not start the ${this.module} process (${processScript(this.module)}): no pid. Check that Node can run it.`);
    }
    const inc: Incarnation = { module: this.module, pid: child.pid, killed: false, store: null, runner: null, exitCode: null, stderr: '' };
    this.incarnations.push(inc);
    this.child = child;
    this.current = inc;
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      inc.stderr = (inc.stderr + chunk).slice(-4000);
    });
    this.exited = new Promise((resolve) => {
      // 'close', not 'exit': it comes after the IPC channel and stderr are drained, so a 'stopped'
      // message sent just before a clean exit is never mistaken for a crash without final stats.
      child.on('close', (code, signal) => {
        inc.exitCode = code ?? (signal === null ? null : 128);
        resolve();
      });
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new SimError('PROCESS_FAILED', `the ${this.module} process (pid ${inc.pid}) did not report ready within ${READY_TIMEOUT_MS / 1000} s. Its stderr: ${inc.stderr || '(empty)'}`));
      }, READY_TIMEOUT_MS);
      child.on('message', (message: ModuleMessage) => {
        if (message.type === 'ready') {
          clearTimeout(timer);
          resolve();
        } else if (message.type === 'stats') {
          inc.store = message.store;
        } else if (message.type === 'stopped') {
          inc.store = message.store;
          inc.runner = message.runner;
        } else if (message.type === 'fatal') {
          clearTimeout(timer);
          reject(new SimError('PROCESS_FAILED', `the ${this.module} process (pid ${inc.pid}) failed: ${message.message}`));
        }
      });
      void this.exited.then(() => {
        clearTimeout(timer);
        reject(new SimError('PROCESS_FAILED', `the ${this.module} process (pid ${inc.pid}) exited with code ${inc.exitCode} before it was ready. Its stderr: ${inc.stderr || '(empty)'}`));
      });
    });
  }

  /** SIGKILL, no warning: what a crash or an OOM kill does. Resolves once the process is gone. */
  async kill(): Promise<number> {
    const child = this.child;
    const inc = this.current;
    if (child === null || inc === null) throw new SimError('PROCESS_FAILED', `no ${this.module} process to kill.`);
    inc.killed = true;
    child.kill('SIGKILL');
    await this.exited;
    this.child = null;
    return inc.pid;
  }

  /** Asks the runner to stop after its tick in progress, waits for its final stats and exit. */
  async stop(): Promise<Incarnation> {
    const child = this.child;
    const inc = this.current;
    if (inc === null) throw new SimError('PROCESS_FAILED', `the ${this.module} process was never started.`);
    if (child === null) return inc;
    if (child.connected) child.send({ type: 'stop' });
    const timedOut = await Promise.race([this.exited.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), STOP_TIMEOUT_MS).unref())]);
    if (timedOut) {
      // Counted: a process that does not stop is a failure of the run, not something to hide.
      inc.killed = true;
      child.kill('SIGKILL');
      await this.exited;
    }
    this.child = null;
    return inc;
  }

  /** Whether the current incarnation exited by itself (a crash, not a kill or stop). */
  get crashed(): boolean {
    return this.current !== null && this.current.exitCode !== null && !this.current.killed && this.current.runner === null;
  }
}
