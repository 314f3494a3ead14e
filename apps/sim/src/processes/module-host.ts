import { join } from 'node:path';
import { parseArgs } from 'node:util';
import type { SharedDocument, StoreStats } from '@rail/atomic-file';
import { openStore } from '@rail/redis-store';
import { isTrainData, type TrainData } from '@rail/schema';
import { loadBuiltinLine, type LoadedLine } from '@rail/track';
import { openLedger } from '../commit-ledger.js';
import { ledgerFileName } from '../ledger-reader.js';

export interface RunnerStats {
  ticks: number;
  commits: number;
  errors: number;
  lastError?: string;
}

export interface HostedRunnerOptions {
  doc: SharedDocument<TrainData>;
  layouts: Map<string, LoadedLine>;
  periodS: number;
  speed: number;
  onError: (error: Error) => void;
}

export type StartRunner = (options: HostedRunnerOptions) => { stop(): Promise<RunnerStats>; done: Promise<RunnerStats> };

/** Messages a module process sends its parent over IPC. */
export type ModuleMessage =
  | { type: 'ready'; pid: number }
  | { type: 'stats'; store: StoreStats }
  | { type: 'stopped'; runner: RunnerStats; store: StoreStats }
  | { type: 'fatal'; message: string };

const STATS_EVERY_MS = 500;

/**
 * The body of every module process: open the shared store (file or Redis), record every commit in this process's
 * ledger, run the module's runner until the parent says stop (or goes away), report the stats.
 */
export async function hostModule(module: string, start: StartRunner): Promise<void> {
  const send = (message: ModuleMessage) => {
    if (process.connected) process.send?.(message);
  };
  try {
    const { values } = parseArgs({
      args: process.argv.slice(2),
      strict: true,
      options: { store: { type: 'string' }, speed: { type: 'string' }, period: { type: 'string' }, line: { type: 'string' }, 'ledger-dir': { type: 'string' } },
    });
    const { store: url, speed, period, line } = values;
    const ledgerDir = values['ledger-dir'];
    if (url === undefined || speed === undefined || period === undefined || line === undefined || ledgerDir === undefined) {
      throw new Error(`${module}: needs --store, --speed, --period, --line and --ledger-dir (it is started by the sample app, not by hand)`);
    }
    // The same URL names a file or a Redis key; the label shows up as the lock owner or the Redis commit label.
    const store = openStore<TrainData>(url, { validate: isTrainData, file: { lock: { label: module } }, redis: { label: module } });
    const ledger = openLedger(store, join(ledgerDir, ledgerFileName(module, process.pid)));
    const loaded = loadBuiltinLine(line as 'Green' | 'Blue');
    const runner = start({
      doc: ledger.doc,
      layouts: new Map([[line, loaded]]),
      periodS: Number(period),
      speed: Number(speed),
      onError: (error) => ledger.recordRunnerError(error.message),
    });
    const timer = setInterval(() => send({ type: 'stats', store: store.stats() }), STATS_EVERY_MS);
    let stopping: Promise<void> | null = null;
    const stop = () => {
      stopping ??= (async () => {
        clearInterval(timer);
        const stats = await runner.stop();
        await store.close();
        ledger.close();
        send({ type: 'stopped', runner: stats, store: store.stats() });
        process.disconnect?.();
      })();
      return stopping;
    };
    process.on('message', (message: { type?: string }) => {
      if (message.type === 'stop') void stop();
    });
    // The parent died or closed the channel: stop cleanly instead of running on unsupervised.
    process.on('disconnect', () => void stop());
    send({ type: 'ready', pid: process.pid });
    await runner.done;
    await stop();
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    send({ type: 'fatal', message });
    process.stderr.write(`${module} (pid ${process.pid}): ${message}\n`);
    process.exitCode = 1;
    process.disconnect?.();
  }
}
