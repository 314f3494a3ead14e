import { FLEXITY2_SPECS, type Failures, type Specs } from '@rail/schema';
import { idleInputs, initialTrainState, step, type Route, type TrainState } from '@rail/train-model';
import {
  controllerStep,
  DEFAULT_CONTROLLER_CONFIG,
  INITIAL_CONTROLLER_STATE,
  type ControllerConfig,
  type ControllerOutput,
  type ControllerState,
  type WaysideView,
} from '../src/index.js';

export const SPECS: Specs = { ...FLEXITY2_SPECS };
export const KMH = 1 / 3.6;
export const NO_FAILURES: Failures = { engine: false, brake: false, signal: false };

export function levelRoute(lengthM = 100_000, speedLimitMps = 70 * KMH): Route {
  return { line: 'Test', loopsTo: 0, steps: [{ index: 0, block: 1, direction: 1, lengthM, gradePercent: 0, speedLimitMps, station: null, startM: 0 }] };
}

export interface LoopSample {
  timeS: number;
  train: TrainState;
  output: ControllerOutput;
}

export interface LoopScenario {
  route: Route;
  seconds: number;
  periodS?: number;
  config?: ControllerConfig;
  /** Wayside commands seen at a given train state (null: none). */
  wayside: (train: TrainState) => WaysideView | null;
  start?: TrainState;
  failures?: Failures;
}

/**
 * Controller and train model in one loop, one controller step per model period: the controller
 * reads the model state, its command acts over the next period.
 */
export function runClosedLoop(scenario: LoopScenario): LoopSample[] {
  const periodS = scenario.periodS ?? 0.5;
  const config = scenario.config ?? DEFAULT_CONTROLLER_CONFIG;
  let train = scenario.start ?? initialTrainState();
  let controller: ControllerState = INITIAL_CONTROLLER_STATE;
  const samples: LoopSample[] = [];
  const failures = scenario.failures ?? NO_FAILURES;
  const gains = config.defaultGains === null ? { kp: null, ki: null, source: 'none' as const } : { kp: config.defaultGains.kpWsPerM, ki: config.defaultGains.kiWPerM, source: 'defaults' as const };
  for (let i = 0; i < Math.round(scenario.seconds / periodS); i++) {
    const wayside = scenario.wayside(train);
    const result = controllerStep(
      controller,
      {
        specs: SPECS,
        speedMps: train.speedMps,
        mode: 'auto',
        driverSpeedMps: null,
        gains,
        wayside,
        failures,
        operatorEmergencyBrake: false,
        doorsOpen: train.leftDoorsOpen || train.rightDoorsOpen,
        temperatureSetpointC: null,
      },
      i === 0 ? 0 : periodS,
      { config },
    );
    controller = result.state;
    const out = result.output;
    samples.push({ timeS: train.simTimeS, train, output: out });
    train = step(
      train,
      {
        ...idleInputs(SPECS),
        powerCommandW: out.powerCommandW,
        serviceBrake: out.serviceBrake,
        emergencyBrake: out.emergencyBrake,
        leftDoorsOpen: out.leftDoorsOpen,
        rightDoorsOpen: out.rightDoorsOpen,
        failures,
      },
      periodS,
      scenario.route,
    );
  }
  return samples;
}

/** A wayside that commands `speedMps` and an authority ending `endM` metres from the route start. */
export function fixedWayside(speedMps: number, endM: number, speedLimitMps = 70 * KMH): (t: TrainState) => WaysideView {
  return (t) => ({
    commandedSpeedMps: speedMps,
    speedLimitMps,
    authorityRemainingM: Math.max(0, endM - t.distanceM),
    dwelling: false,
    stationSide: null,
    stopIsStation: false,
  });
}
