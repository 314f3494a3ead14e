export {
  computeWaysideCommands,
  type WaysideInput,
  type WaysideOutput,
  type WaysideTrainInput,
  type WaysideNote,
  type WaysideNoteCode,
} from './compute-wayside-commands.js';
export { runWayside, type RunWaysideOptions, type RunnerStats, type WaysideRunner, type WaysideTickInfo } from './run-wayside.js';
export { WaysideError, type WaysideErrorCode } from './errors.js';
export {
  DEFAULT_DWELL_S,
  STOPPED_BELOW_MPS,
  STOP_TOLERANCE_M,
  APPROACH_BRAKE_FRACTION,
  ARRIVED_WITHIN_M,
  CREEP_SPEED_MPS,
  MAX_AUTHORITY_M,
} from './rules.js';
