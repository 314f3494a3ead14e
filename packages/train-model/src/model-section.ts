import type { Model, Specs, Train } from '@rail/schema';
import { TrainModelError } from './errors.js';
import { trainMassKg } from './forces.js';
import type { Route } from './route.js';
import { NO_FAILURES, initialTrainState, type TrainModelInputs, type TrainState } from './train-state.js';

/**
 * Rebuilds the physics state from a train's `model` section. Optional fields this package always
 * writes but a hand-made or imported file may lack take their dispatch value (0 passengers,
 * 0 stations served, lights off); a missing routeIndex is found from `block` (first match).
 */
export function stateFromModel(model: Model, route: Route, trainId: string): TrainState {
  let routeIndex = model.routeIndex;
  if (routeIndex === undefined) {
    const found = route.steps.findIndex((s) => s.block === model.block);
    if (found < 0) {
      throw new TrainModelError(
        'INVALID_STATE',
        `train-model: train ${trainId} has model.block ${String(model.block)} and no routeIndex, and that block is not on route ${route.line}; delete its model section to restart it at the route's start.`,
        { trainId },
      );
    }
    routeIndex = found;
  }
  return {
    ...initialTrainState(model.simTimeS ?? 0),
    routeIndex,
    positionInBlockM: model.positionInBlockM,
    distanceM: model.distanceM,
    speedMps: model.speedMps,
    accelerationMps2: model.accelerationMps2,
    authorityRemainingM: model.authorityRemainingM ?? null,
    authorityOverrunM: model.authorityOverrunM ?? 0,
    temperatureC: model.temperatureC,
    leftDoorsOpen: model.leftDoorsOpen,
    rightDoorsOpen: model.rightDoorsOpen,
    interiorLights: model.interiorLights ?? false,
    exteriorLights: model.exteriorLights ?? false,
    passengers: model.passengers ?? 0,
    failures: { ...model.failures },
    emergencyBrakeActive: model.emergencyBrakeActive ?? false,
    stationsServed: model.stationsServed ?? 0,
    lastStation: model.lastStation ?? null,
  };
}

/** The `model` section for a state (every field the schema knows, SI units). */
export function modelFromState(state: TrainState, route: Route, specs: Specs): Model {
  const step = route.steps[state.routeIndex];
  if (step === undefined) {
    throw new TrainModelError('INVALID_STATE', `train-model: routeIndex ${state.routeIndex} is outside route ${route.line}; the state is corrupt.`);
  }
  const model: Model = {
    speedMps: state.speedMps,
    accelerationMps2: state.accelerationMps2,
    block: step.block,
    routeIndex: state.routeIndex,
    positionInBlockM: state.positionInBlockM,
    distanceM: state.distanceM,
    authorityOverrunM: state.authorityOverrunM,
    temperatureC: state.temperatureC,
    leftDoorsOpen: state.leftDoorsOpen,
    rightDoorsOpen: state.rightDoorsOpen,
    interiorLights: state.interiorLights,
    exteriorLights: state.exteriorLights,
    passengers: state.passengers,
    massKg: trainMassKg(specs, state.passengers),
    failures: { ...state.failures },
    emergencyBrakeActive: state.emergencyBrakeActive,
    stationsServed: state.stationsServed,
    lastStation: state.lastStation,
    simTimeS: state.simTimeS,
  };
  if (state.authorityRemainingM !== null) model.authorityRemainingM = state.authorityRemainingM;
  return model;
}

/**
 * What acts on the train, read from its `controller`, `wayside` and `operator` sections. Without a
 * controller section nothing is commanded (no power, brakes released, doors closed); operator
 * failures are mirrored; the emergency brake acts when the controller or the operator pulls it.
 */
export function inputsFromTrain(train: Train, passengerSeed: number): TrainModelInputs {
  const c = train.controller;
  const op = train.operator;
  const w = train.wayside;
  return {
    specs: train.specs,
    powerCommandW: c?.powerCommandW ?? 0,
    serviceBrake: c?.serviceBrake ?? false,
    emergencyBrake: (c?.emergencyBrake ?? false) || (op?.emergencyBrake ?? false),
    leftDoorsOpen: c?.leftDoorsOpen ?? false,
    rightDoorsOpen: c?.rightDoorsOpen ?? false,
    interiorLights: c?.interiorLights ?? false,
    exteriorLights: c?.exteriorLights ?? false,
    temperatureSetpointC: c?.temperatureSetpointC ?? null,
    failures: { ...(op?.failures ?? NO_FAILURES) },
    authority:
      w === undefined
        ? null
        : { commandedAuthorityM: w.commandedAuthorityM, basisDistanceM: w.authorityBasisDistanceM ?? null },
    passengerSeed,
  };
}
