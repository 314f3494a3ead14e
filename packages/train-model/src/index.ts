export { step } from './step.js';
export {
  initialTrainState,
  idleInputs,
  NO_FAILURES,
  type TrainState,
  type TrainModelInputs,
} from './train-state.js';
export {
  trainMassKg,
  gradeForceN,
  rollingResistanceN,
  aerodynamicDragN,
  frontalAreaM2,
  motorForceN,
} from './forces.js';
export { cabinTemperatureC } from './cabin.js';
export { exchangePassengers, seededRandom, type PassengerExchange } from './passengers.js';
export * from './constants.js';
export type { Route, RouteStep } from './route.js';
export { TrainModelError, type TrainModelErrorCode, type TrainModelErrorOptions } from './errors.js';
export { runTrainModel, waitingFor, type RunTrainModelOptions, type TrainModelTickInfo } from './runner.js';
export type { Runner, RunnerStats } from '@rail/tick-loop';
export type { DocumentStore } from './store.js';
export { stateFromModel, modelFromState, inputsFromTrain } from './model-section.js';
