import { hostname } from 'node:os';
import { formatIssues, trainSectionIssues, type TrackLayout, type TrainData, type Writer } from '@rail/schema';
import { TrainModelError } from './errors.js';
import { inputsFromTrain, modelFromState, stateFromModel } from './model-section.js';
import type { Route } from './route.js';
import type { DocumentStore } from './store.js';
import { step } from './step.js';
import { startRunner, type Runner, type RunnerStats } from '@rail/tick-loop';
import { initialTrainState } from './train-state.js';

export interface TrainModelTickInfo {
  tick: number;
  /** Simulated time after this tick, s (unchanged when the tick failed). */
  simTimeS: number;
  /** Revision committed by this tick; null when it failed. */
  revision: number | null;
  /** Train ids whose model was written. */
  trains: string[];
  /** The tick's error, or the first per-train error; null when none. */
  error: Error | null;
}

export interface RunTrainModelOptions {
  doc: DocumentStore;
  /** Route (and layout) per line name; trains on a line not listed are reported, not moved. */
  layouts: ReadonlyMap<string, { layout: TrackLayout; route: Route }>;
  /** Simulated seconds per tick. Default 0.5. */
  periodS?: number;
  /** Wall-clock speed-up: one tick every periodS·1000/speed ms. Default 1; Infinity: back to back. */
  speed?: number;
  maxTicks?: number;
  signal?: AbortSignal;
  onTick?: (info: TrainModelTickInfo) => void;
  onError?: (error: Error) => void;
  /** Seed of the passenger counts. Default 0. */
  passengerSeed?: number;
  /** Written as top-level lastWriter. Default { module: 'train-model', pid, host }. */
  writer?: Writer;
  /**
   * Lockstep on simulated time (default true): the model does not advance while a train's
   * controller or wayside section (when that module is running, i.e. the section carries a
   * simTimeS) has not yet answered the model's latest step. Without it a slow or restarting
   * controller lets the train run on a stale power command for several simulated seconds.
   */
  lockstep?: boolean;
}

/**
 * The train that holds the clock back in lockstep, or null when every running module has answered
 * the model's latest step.
 */
export function waitingFor(doc: TrainData): string | null {
  for (const [trainId, train] of Object.entries(doc.trains)) {
    const t = train.model?.simTimeS;
    if (t === undefined) continue;
    if (train.controller?.simTimeS !== undefined && train.controller.simTimeS < t) return `${trainId}: controller`;
    if (train.wayside?.simTimeS !== undefined && train.wayside.simTimeS < t) return `${trainId}: wayside`;
  }
  return null;
}

function checkOwnOutput(train: TrainData['trains'][string], trainId: string): void {
  const issues = trainSectionIssues(trainId, train, 'model');
  if (issues.length > 0) {
    throw new TrainModelError(
      'OUTPUT_INVALID',
      `train-model: the model section computed for train ${trainId} fails the schema (a bug in @rail/train-model; please report it with this message):\n${formatIssues(issues)}`,
      { trainId },
    );
  }
}

/**
 * Runs the train model against a shared document: every tick, one `doc.update` that advances the
 * simulated clock by `periodS` and steps every train on a known line, reading its `controller`,
 * `wayside` and `operator` sections and writing only its `model` section, the top-level `simTimeS`
 * and `lastWriter`.
 */
export function runTrainModel(options: RunTrainModelOptions): Runner {
  const periodS = options.periodS ?? 0.5;
  const speed = options.speed ?? 1;
  if (!(periodS > 0) || !Number.isFinite(periodS) || !(speed > 0)) {
    throw new TrainModelError(
      'INVALID_INPUT',
      `runTrainModel: periodS must be a finite number > 0 and speed > 0 (got periodS ${String(periodS)}, speed ${String(speed)}); fix the options.`,
    );
  }
  const seed = options.passengerSeed ?? 0;
  const writer: Writer = options.writer ?? { module: 'train-model', pid: process.pid, host: hostname() };
  const stats: RunnerStats = { ticks: 0, commits: 0, errors: 0 };
  let lastSimTimeS = 0;

  const recordError = (error: Error) => {
    stats.errors += 1;
    stats.lastError = error.message;
    options.onError?.(error);
  };

  const lockstep = options.lockstep ?? true;

  const tick = async (tickNumber: number) => {
    stats.ticks += 1;
    if (lockstep && waitingFor((await options.doc.read()).value) !== null) return;
    let trains: string[] = [];
    let trainErrors: Error[] = [];
    let simTimeS = lastSimTimeS;
    let revision: number | null = null;
    let tickError: Error | null = null;
    try {
      const commit = await options.doc.update((draft) => {
        // The updater may run again on a retry: start from scratch every time.
        trains = [];
        trainErrors = [];
        simTimeS = (draft.simTimeS ?? 0) + periodS;
        for (const [trainId, train] of Object.entries(draft.trains)) {
          const entry = options.layouts.get(train.line);
          if (entry === undefined) {
            trainErrors.push(
              new TrainModelError(
                'UNKNOWN_LINE',
                `runTrainModel: train ${trainId} runs on line "${train.line}", which is not in options.layouts (${[...options.layouts.keys()].join(', ') || 'none'}); add its layout and route. The train is not moved.`,
                { trainId },
              ),
            );
            continue;
          }
          try {
            const state =
              train.model === undefined
                ? initialTrainState(simTimeS)
                : step(stateFromModel(train.model, entry.route, trainId), inputsFromTrain(train, seed), periodS, entry.route);
            train.model = modelFromState(state, entry.route, train.specs);
            checkOwnOutput(train, trainId);
            trains.push(trainId);
          } catch (error) {
            if (TrainModelError.isInstance(error) && error.code === 'OUTPUT_INVALID') throw error;
            trainErrors.push(error instanceof Error ? error : new Error(String(error)));
          }
        }
        draft.simTimeS = simTimeS;
        draft.lastWriter = { ...writer };
      });
      stats.commits += 1;
      lastSimTimeS = simTimeS;
      revision = commit.revision;
    } catch (error) {
      tickError = error instanceof Error ? error : new Error(String(error));
      recordError(tickError);
    }
    if (tickError === null) for (const error of trainErrors) recordError(error);
    options.onTick?.({
      tick: tickNumber,
      simTimeS: lastSimTimeS,
      revision,
      trains: tickError === null ? trains : [],
      error: tickError ?? trainErrors[0] ?? null,
    });
  };

  return startRunner({ periodS, speed, maxTicks: options.maxTicks, signal: options.signal }, stats, tick, recordError);
}
