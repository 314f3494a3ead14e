import { hostname } from 'node:os';
import type { SharedDocument } from '@rail/atomic-file';
import { formatIssues, isTrainData, type TrainData, type Wayside, type Writer } from '@rail/schema';
import { startRunner, type Runner, type RunnerStats } from '@rail/tick-loop';
import type { Route, TrackLayout } from '@rail/track';
import { computeWaysideCommands, type WaysideNote } from './compute-wayside-commands.js';
import { WaysideError } from './errors.js';

export interface RunWaysideOptions {
  doc: SharedDocument<TrainData>;
  /** Layout and route per line name (`loadBuiltinLine` gives both). */
  layouts: Map<string, { layout: TrackLayout; route: Route }>;
  /** Simulated seconds per tick (paces the wall clock only; the logic runs on model.simTimeS). Default 0.5. */
  periodS?: number;
  /** Wall-clock speed-up: one tick every periodS × 1000 / speed ms. Default 1. */
  speed?: number;
  /** Stop after this many ticks. */
  maxTicks?: number;
  signal?: AbortSignal;
  /** Station dwell, seconds (s). Default 20. */
  dwellS?: number;
  onTick?: (info: WaysideTickInfo) => void;
  /** Every failed tick, and the first occurrence of each configuration problem. */
  onError?: (error: Error) => void;
  /** Written to the top-level `lastWriter` with each commit; null leaves it alone. Default: wayside, this pid and host. */
  writer?: Writer | null;
}

export interface WaysideTickInfo {
  tick: number;
  /** Revision committed by this tick, null when the tick failed. */
  revision: number | null;
  /** Train id → the wayside section written this tick. */
  commands: Record<string, Wayside>;
  notes: WaysideNote[];
  /** Trains that could not be served this tick, and why (e.g. no layout for their line). */
  problems: string[];
  error?: Error;
}

export type { RunnerStats };
/** The shared runner contract; the wayside also stops by itself when its store is closed. */
export type WaysideRunner = Runner;

/**
 * The model state the wayside answers (train ids, lines, model clocks and positions), and the model
 * clock its own sections in the document say they answered: if the document went back (restored
 * from its backup) the answer is gone from the file and must be given again.
 */
export function modelKey(doc: TrainData): string {
  return JSON.stringify(Object.entries(doc.trains).map(([id, t]) => [id, t.line, t.model?.simTimeS ?? null, t.model?.routeIndex ?? null, t.wayside?.simTimeS ?? null]));
}

const toError = (e: unknown) => (e instanceof Error ? e : new Error(String(e)));

/** Our own INVALID_OUTPUT error, if the store wrapped it (as the cause of an updater failure). */
function ownError(error: unknown): WaysideError | null {
  for (let e: unknown = error, depth = 0; e !== undefined && e !== null && depth < 5; depth++) {
    if (WaysideError.isInstance(e)) return e;
    e = (e as { cause?: unknown }).cause;
  }
  return null;
}

/**
 * Runs the wayside against a shared train_data document: every tick, one `doc.update` that reads
 * the trains' `model` sections and rewrites only each train's `wayside` section (and `lastWriter`).
 * Store errors are counted, reported and retried next tick; they never end the runner.
 */
export function runWayside(options: RunWaysideOptions): WaysideRunner {
  const periodS = options.periodS ?? 0.5;
  const speed = options.speed ?? 1;
  if (!(periodS > 0) || !(speed > 0)) {
    throw new WaysideError('INVALID_OPTIONS', `runWayside: periodS (${periodS}) and speed (${speed}) must be positive numbers; pass e.g. { periodS: 0.5, speed: 1 }`);
  }
  const writer: Writer | null = options.writer === undefined ? { module: 'wayside', pid: process.pid, host: hostname() } : options.writer;
  const stats: RunnerStats = { ticks: 0, commits: 0, errors: 0 };
  const reported = new Set<string>();

  const report = (error: Error) => {
    if (options.onError === undefined) return;
    try {
      options.onError(error);
    } catch (listenerError) {
      // A broken listener must not stop the wayside; it is surfaced as the runner's last error.
      stats.lastError = `onError listener threw: ${toError(listenerError).message}`;
    }
  };

  // What the last committed tick answered: the model state of every train. The wayside only reacts
  // to a new model step, so an unchanged model means nothing to write (and no revision churn).
  let answeredKey: string | null = null;

  async function tick(): Promise<void | 'stop'> {
    stats.ticks++;
    if (answeredKey !== null && modelKey((await options.doc.read()).value) === answeredKey) return;
    let draftKey: string | null = null;
    let commands: Record<string, Wayside> = {};
    let notes: WaysideNote[] = [];
    let problems: string[] = [];
    const info = (revision: number | null, error?: Error): WaysideTickInfo => ({ tick: stats.ticks, revision, commands, notes, problems, ...(error ? { error } : {}) });
    try {
      const commit = await options.doc.update((draft) => {
        commands = {};
        notes = [];
        problems = [];
        const byLine = new Map<string, string[]>();
        for (const [id, train] of Object.entries(draft.trains)) byLine.set(train.line, [...(byLine.get(train.line) ?? []), id]);
        for (const [line, ids] of byLine) {
          const loaded = options.layouts.get(line);
          if (loaded === undefined) {
            problems.push(
              `trains ${ids.join(', ')} run on line "${line}", which the wayside has no layout for (it has ${[...options.layouts.keys()].join(', ') || 'none'}); ` +
                'their wayside sections are left unchanged. Pass that line in `layouts`.',
            );
            continue;
          }
          const out = computeWaysideCommands({
            route: loaded.route,
            dwellS: options.dwellS,
            trains: ids.map((id) => {
              const train = draft.trains[id]!;
              return { id, specs: train.specs, model: train.model, previous: train.wayside };
            }),
          });
          for (const [id, wayside] of Object.entries(out.commands)) {
            draft.trains[id]!.wayside = wayside;
            commands[id] = wayside;
          }
          notes.push(...out.notes);
        }
        if (writer !== null && Object.keys(commands).length > 0) draft.lastWriter = { ...writer };
        draftKey = modelKey(draft);
        if (!isTrainData(draft)) {
          const ours = isTrainData.issues(draft).filter((i) => /^\/trains\/[^/]+\/wayside(\/|$)/.test(i.path) || i.path.startsWith('/lastWriter'));
          if (ours.length > 0) {
            throw new WaysideError('INVALID_OUTPUT', `wayside: the section it computed fails train-data.schema.json (a bug in @rail/wayside; please report it):\n${formatIssues(ours)}`);
          }
        }
      });
      stats.commits++;
      answeredKey = draftKey;
      for (const problem of problems) {
        if (!reported.has(problem)) {
          reported.add(problem);
          report(new WaysideError('NO_LAYOUT', problem));
        }
      }
      options.onTick?.(info(commit.revision));
    } catch (caught) {
      const error = ownError(caught) ?? toError(caught);
      stats.errors++;
      stats.lastError = error.message;
      report(error);
      options.onTick?.(info(null, error));
      if ((caught as { code?: unknown }).code === 'CLOSED') return 'stop';
    }
  }

  // Every failure is already counted and reported inside tick; nothing else can throw out of it.
  return startRunner({ periodS, speed, maxTicks: options.maxTicks, signal: options.signal }, stats, tick, report);
}
