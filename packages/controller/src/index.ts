export {
  controllerStep,
  approachSpeedMps,
  INITIAL_CONTROLLER_STATE,
  type ControllerState,
  type ControllerInputs,
  type ControllerOutput,
  type ControllerStatus,
  type ControllerStepOptions,
  type WaysideView,
} from './controller-step.js';
export { piStep, holdPi, INITIAL_PI_STATE, type PiState, type PiResult } from './pi.js';
export {
  vitalByDistance,
  vitalBySpeed,
  combineVital,
  type VitalChannel,
  type VitalDecision,
  type VitalInputs,
  type VitalReason,
  type CombinedVital,
} from './vital.js';
export { resolveGains, type ResolvedGains, type GainSource } from './gains.js';
export { DEFAULT_GAINS, DEFAULT_CONTROLLER_CONFIG, type ControllerConfig } from './config.js';
export { ControllerError, type ControllerErrorCode, type ControllerErrorOptions } from './errors.js';
export { runController, type RunControllerOptions, type ControllerTickInfo } from './runner.js';
export { controllerInputsFromTrain, controllerSection, waysideView } from './controller-section.js';
export type { Runner, RunnerStats } from '@rail/tick-loop';
export type { DocumentStore } from './store.js';
