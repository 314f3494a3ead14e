import type { Specs } from '@rail/schema';
import { cabinTemperatureC } from './cabin.js';
import { MAX_SUBSTEP_S, STOPPED_SPEED_MPS } from './constants.js';
import { TrainModelError } from './errors.js';
import {
  aerodynamicDragN,
  gradeForceN,
  motorForceN,
  rollingResistanceN,
  trainMassKg,
} from './forces.js';
import { exchangePassengers } from './passengers.js';
import type { Route, RouteStep } from './route.js';
import type { TrainModelInputs, TrainState } from './train-state.js';

/** Which brake acts this sub-step, if any. */
type BrakeMode = 'none' | 'service' | 'emergency';

/**
 * Acceleration along the track for one internal step, m/s².
 *
 * Brakes are constant decelerations (the vehicle's brake control holds the rated 1.2 / 2.73 m/s²
 * regardless of load and grade), so stopping distances are exactly v²/(2a). Without a brake the
 * tractive force is F = min(P / max(v, 1 m/s), μ·m·g·cos θ) and is then limited, as the vehicle's
 * drive control does, so that the resulting acceleration never exceeds the medium acceleration
 * a_max and the speed never passes specs.maxSpeedMps.
 */
function accelerationMps2(
  specs: Specs,
  massKg: number,
  speedMps: number,
  gradePercent: number,
  powerW: number,
  brake: BrakeMode,
  tractionAvailable: boolean,
  hS: number,
): number {
  if (brake === 'emergency') return -specs.emergencyBrakeMps2;
  if (brake === 'service') return -specs.serviceBrakeMps2;
  const gradeN = gradeForceN(massKg, gradePercent);
  // At rest, rolling resistance and drag are reactions: they can hold the train but not push it.
  const resistanceN = speedMps > 0 ? rollingResistanceN(massKg, gradePercent) + aerodynamicDragN(specs, speedMps) : 0;
  let tractionN = 0;
  if (tractionAvailable && powerW > 0) {
    const accelerationCapN = massKg * specs.maxAccelerationMps2 + resistanceN + gradeN;
    const speedCapN = massKg * ((specs.maxSpeedMps - speedMps) / hS) + resistanceN + gradeN;
    tractionN = Math.max(
      0,
      Math.min(motorForceN(specs, powerW, speedMps, massKg, gradePercent), accelerationCapN, speedCapN),
    );
  }
  const netN = tractionN - resistanceN - gradeN;
  // A stopped train with no net forward force stays put (the holding brake); it never rolls back.
  if (speedMps <= 0 && netN <= 0) return 0;
  return netN / massKg;
}

function checkArguments(state: TrainState, inputs: TrainModelInputs, dtS: number, route: Route): void {
  if (!Number.isFinite(dtS) || dtS < 0) {
    throw new TrainModelError(
      'INVALID_INPUT',
      `train-model step: dtS must be a finite number of seconds >= 0, got ${String(dtS)}; pass the simulated period in seconds.`,
    );
  }
  if (route.steps.length === 0) {
    throw new TrainModelError(
      'INVALID_ROUTE',
      `train-model step: route of line ${route.line} has no steps; derive it from a layout with deriveRoute().`,
    );
  }
  if (!Number.isInteger(state.routeIndex) || state.routeIndex < 0 || state.routeIndex >= route.steps.length) {
    throw new TrainModelError(
      'INVALID_STATE',
      `train-model step: routeIndex ${state.routeIndex} is outside route ${route.line} (0…${route.steps.length - 1}); reset the train's model section.`,
    );
  }
  const { specs } = inputs;
  for (const key of ['emptyMassKg', 'maxPowerW', 'maxAccelerationMps2', 'serviceBrakeMps2', 'emergencyBrakeMps2', 'maxSpeedMps'] as const) {
    if (!(specs[key] > 0)) {
      throw new TrainModelError(
        'INVALID_SPECS',
        `train-model step: specs.${key} must be > 0, got ${String(specs[key])}; fix the train's specs section.`,
      );
    }
  }
}

function stepAt(route: Route, index: number): RouteStep {
  const step = route.steps[index];
  if (step === undefined) {
    throw new TrainModelError('INVALID_ROUTE', `train-model step: route ${route.line} has no step ${index}; the route is inconsistent (loopsTo out of range?).`);
  }
  return step;
}

/**
 * Advances the train by `dtS` seconds of simulated time along `route`. Pure and deterministic: the
 * same arguments always give the same result, and no clock or global random source is read.
 *
 * The period is integrated in equal internal steps of at most MAX_SUBSTEP_S (0.01 s), so a caller
 * stepping every 0.5 s or every 0.05 s sees the same trajectory within integration error.
 */
export function step(state: TrainState, inputs: TrainModelInputs, dtS: number, route: Route): TrainState {
  checkArguments(state, inputs, dtS, route);
  const { specs } = inputs;
  const next: TrainState = { ...state, failures: { ...inputs.failures } };
  next.simTimeS = state.simTimeS + dtS;
  next.interiorLights = inputs.interiorLights;
  next.exteriorLights = inputs.exteriorLights;
  next.emergencyBrakeActive = inputs.emergencyBrake;
  next.temperatureC = cabinTemperatureC(state.temperatureC, inputs.temperatureSetpointC, dtS);

  // Doors: the vehicle's door interlock lets them open only at a standstill; closing always works.
  const stopped = state.speedMps < STOPPED_SPEED_MPS;
  next.leftDoorsOpen = inputs.leftDoorsOpen && (state.leftDoorsOpen || stopped);
  next.rightDoorsOpen = inputs.rightDoorsOpen && (state.rightDoorsOpen || stopped);
  const wasOpen = state.leftDoorsOpen || state.rightDoorsOpen;
  const isOpen = next.leftDoorsOpen || next.rightDoorsOpen;
  const station = stepAt(route, state.routeIndex).station;
  if (station !== null && !wasOpen && isOpen) {
    next.passengers = exchangePassengers(state.passengers, specs.capacityPassengers, station.name, state.simTimeS, inputs.passengerSeed).passengers;
  }
  if (station !== null && wasOpen && !isOpen) {
    next.stationsServed = state.stationsServed + 1;
    next.lastStation = station.name;
  }

  const brake: BrakeMode = inputs.emergencyBrake
    ? 'emergency'
    : inputs.serviceBrake && !inputs.failures.brake
      ? 'service'
      : 'none';
  // Traction interlocks: engine failure, open doors, or any brake command (never both at once).
  const tractionAvailable = !inputs.failures.engine && !isOpen && !inputs.serviceBrake && !inputs.emergencyBrake;
  const massKg = trainMassKg(specs, next.passengers);
  const substeps = Math.ceil(dtS / MAX_SUBSTEP_S);
  const startDistanceM = state.distanceM;
  for (let i = 0; i < substeps; i++) {
    const hS = dtS / substeps;
    const grade = stepAt(route, next.routeIndex).gradePercent;
    const a = accelerationMps2(specs, massKg, next.speedMps, grade, inputs.powerCommandW, brake, tractionAvailable, hS);
    const v0 = next.speedMps;
    let dxM: number;
    let v1: number;
    if (v0 + a * hS <= 0) {
      // Comes to rest inside this sub-step: the exact stopping distance v²/(2|a|), not v·h + a·h²/2.
      dxM = a < 0 ? (v0 * v0) / (2 * -a) : 0;
      v1 = 0;
    } else {
      dxM = v0 * hS + 0.5 * a * hS * hS;
      v1 = v0 + a * hS;
    }
    next.speedMps = v1;
    next.accelerationMps2 = (v1 - v0) / hS;
    advance(next, dxM, route);
  }
  if (substeps === 0) next.accelerationMps2 = state.accelerationMps2;

  if (inputs.authority !== null) {
    const basis = inputs.authority.basisDistanceM ?? startDistanceM;
    const travelledM = next.distanceM - basis;
    next.authorityRemainingM = Math.max(0, inputs.authority.commandedAuthorityM - travelledM);
    // Distances are sums of many float steps: an overshoot below a micrometre is rounding, not motion.
    const overshootM = travelledM - inputs.authority.commandedAuthorityM;
    next.authorityOverrunM = Math.max(state.authorityOverrunM, overshootM > OVERRUN_TOLERANCE_M ? overshootM : 0);
  }
  return next;
}

/** Overshoot of the authority below this is floating-point rounding of the distance sums, metres (m). */
export const OVERRUN_TOLERANCE_M = 1e-6;

/** Moves the front `dxM` metres along the route, block by block; holds at the end of a route without a loop. */
function advance(state: TrainState, dxM: number, route: Route): void {
  let remainingM = dxM;
  while (remainingM > 0) {
    const current = stepAt(route, state.routeIndex);
    const leftInBlockM = current.lengthM - state.positionInBlockM;
    if (remainingM < leftInBlockM) {
      state.positionInBlockM += remainingM;
      state.distanceM += remainingM;
      return;
    }
    const isLast = state.routeIndex === route.steps.length - 1;
    if (isLast && route.loopsTo === null) {
      // End of the line: the train is held at the buffer; authority should have stopped it before.
      state.distanceM += leftInBlockM;
      state.positionInBlockM = current.lengthM;
      state.speedMps = 0;
      state.accelerationMps2 = 0;
      return;
    }
    state.distanceM += leftInBlockM;
    remainingM -= leftInBlockM;
    state.positionInBlockM = 0;
    state.routeIndex = isLast ? (route.loopsTo as number) : state.routeIndex + 1;
  }
}
