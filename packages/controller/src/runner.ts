import { hostname } from 'node:os';
import { formatIssues, trainSectionIssues, type Train, type TrainData, type Writer } from '@rail/schema';
import { DEFAULT_CONTROLLER_CONFIG, type ControllerConfig } from './config.js';
import { controllerInputsFromTrain, controllerSection } from './controller-section.js';
import { controllerStep, INITIAL_CONTROLLER_STATE, type ControllerState } from './controller-step.js';
import { ControllerError } from './errors.js';
import type { DocumentStore } from './store.js';
import { startRunner, type Runner, type RunnerStats } from '@rail/tick-loop';

export interface ControllerTickInfo {
  tick: number;
  /** Revision committed by this tick; null when it failed. */
  revision: number | null;
  /** Train ids whose controller section was written. */
  trains: string[];
  error: Error | null;
}

export interface RunControllerOptions {
  doc: DocumentStore;
  /** Not needed by the controller; accepted so every runner takes the same options. */
  layouts?: ReadonlyMap<string, unknown>;
  /** Simulated seconds per tick (sets the wall period with `speed`). Default 0.5. */
  periodS?: number;
  /** Wall-clock speed-up: one tick every periodS·1000/speed ms. Default 1; Infinity: back to back. */
  speed?: number;
  maxTicks?: number;
  signal?: AbortSignal;
  onTick?: (info: ControllerTickInfo) => void;
  onError?: (error: Error) => void;
  /** Margins, reaction time and default gains. Default DEFAULT_CONTROLLER_CONFIG. */
  config?: ControllerConfig;
  /** Written as top-level lastWriter. Default { module: 'controller', pid, host }. */
  writer?: Writer;
}

interface TrainMemory {
  state: ControllerState;
  /** model.simTimeS at the last step, s. */
  simTimeS: number;
}

function checkOwnOutput(train: Train, trainId: string): void {
  const issues = trainSectionIssues(trainId, train, 'controller');
  if (issues.length > 0) {
    throw new ControllerError(
      'OUTPUT_INVALID',
      `controller: the controller section computed for train ${trainId} fails the schema (a bug in @rail/controller; please report it with this message):\n${formatIssues(issues)}`,
      { trainId },
    );
  }
}

/**
 * What the controller answers: each train's model clock and operator requests, and the model clock
 * its own section in the document says it answered. The last part matters when the document went
 * back (restored from its backup): the answer is gone from the file, so it must be given again.
 */
export function controllerKey(doc: TrainData): string {
  return JSON.stringify(Object.entries(doc.trains).map(([id, t]) => [id, t.model?.simTimeS ?? null, t.operator ?? null, t.controller?.simTimeS ?? null]));
}

/**
 * Runs the train controller against a shared document: every tick, one `doc.update` that reads each
 * train's `model`, `wayside` and `operator` sections and writes only its `controller` section (and
 * the top-level `lastWriter`). Its clock is `model.simTimeS`; the PI integrator lives in memory.
 */
export function runController(options: RunControllerOptions): Runner {
  const periodS = options.periodS ?? 0.5;
  const speed = options.speed ?? 1;
  if (!(periodS > 0) || !Number.isFinite(periodS) || !(speed > 0)) {
    throw new ControllerError(
      'INVALID_OPTIONS',
      `runController: periodS must be a finite number > 0 and speed > 0 (got periodS ${String(periodS)}, speed ${String(speed)}); fix the options.`,
    );
  }
  const config = options.config ?? DEFAULT_CONTROLLER_CONFIG;
  const writer: Writer = options.writer ?? { module: 'controller', pid: process.pid, host: hostname() };
  const memory = new Map<string, TrainMemory>();
  const stats: RunnerStats = { ticks: 0, commits: 0, errors: 0 };

  const recordError = (error: Error) => {
    stats.errors += 1;
    stats.lastError = error.message;
    options.onError?.(error);
  };

  // The controller answers model steps (and operator requests): when neither changed since its last
  // commit there is nothing new to compute, so it writes nothing (no revision churn).
  let answeredKey: string | null = null;

  const tick = async (tickNumber: number) => {
    stats.ticks += 1;
    if (answeredKey !== null && controllerKey((await options.doc.read()).value) === answeredKey) return;
    let draftKey: string | null = null;
    let pending = new Map<string, TrainMemory>();
    let trainErrors: Error[] = [];
    let lastDraftTrains: Record<string, true> = {};
    let revision: number | null = null;
    let tickError: Error | null = null;
    try {
      const commit = await options.doc.update((draft) => {
        // The updater may run again on a retry: nothing is kept from an earlier attempt.
        pending = new Map();
        trainErrors = [];
        lastDraftTrains = {};
        for (const [trainId, train] of Object.entries(draft.trains)) {
          try {
            const inputs = controllerInputsFromTrain(train, config);
            const modelTimeS = train.model?.simTimeS ?? 0;
            const previous = memory.get(trainId);
            // A model clock that went backwards means the model restarted: start the integrator afresh.
            const fresh = previous === undefined || modelTimeS < previous.simTimeS;
            const dtS = fresh ? 0 : modelTimeS - previous.simTimeS;
            const state = fresh ? INITIAL_CONTROLLER_STATE : previous.state;
            const result =
              train.model === undefined
                ? controllerStep(state, { ...inputs, wayside: null }, 0, { config })
                : controllerStep(state, inputs, dtS, { config });
            const output =
              train.model === undefined
                ? { ...result.output, status: 'no-input' as const, statusMessage: 'waiting for the train model to create this train\'s model section; holding with the service brake.' }
                : result.output;
            train.controller = controllerSection(inputs, output, inputs.gains, modelTimeS);
            checkOwnOutput(train, trainId);
            lastDraftTrains[trainId] = true;
            // No model yet: nothing was integrated, so the first real step must not see a dt from 0.
            if (train.model !== undefined) pending.set(trainId, { state: result.state, simTimeS: modelTimeS });
          } catch (error) {
            if (ControllerError.isInstance(error) && error.code === 'OUTPUT_INVALID') throw error;
            trainErrors.push(error instanceof Error ? error : new Error(String(error)));
          }
        }
        draft.lastWriter = { ...writer };
        draftKey = controllerKey(draft);
      });
      stats.commits += 1;
      answeredKey = draftKey;
      revision = commit.revision;
      for (const [trainId, entry] of pending) memory.set(trainId, entry);
    } catch (error) {
      tickError = error instanceof Error ? error : new Error(String(error));
      recordError(tickError);
    }
    if (tickError === null) for (const error of trainErrors) recordError(error);
    options.onTick?.({
      tick: tickNumber,
      revision,
      trains: tickError === null ? Object.keys(lastDraftTrains) : [],
      error: tickError ?? trainErrors[0] ?? null,
    });
  };

  return startRunner({ periodS, speed, maxTicks: options.maxTicks, signal: options.signal }, stats, tick, recordError);
}
