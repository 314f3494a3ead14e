import type { Failures, Specs } from '@rail/schema';
import { INITIAL_CABIN_TEMPERATURE_C } from './constants.js';

/** Everything the physics core carries from one step to the next. SI units throughout. */
export interface TrainState {
  /** Simulated time of this state, s. */
  simTimeS: number;
  /** Index into the route's steps of the block the train's front is in. */
  routeIndex: number;
  /** Front of the train from the step's entry, in the direction of travel, m. */
  positionInBlockM: number;
  /** Total distance travelled since dispatch (monotone), m. */
  distanceM: number;
  /** Speed, m/s, never negative. */
  speedMps: number;
  /** Acceleration over the last internal step, m/s². */
  accelerationMps2: number;
  /** Authority left, m; null while no wayside authority has been seen. */
  authorityRemainingM: number | null;
  /** Largest distance ever travelled past the authority, m (0 in a correct run). */
  authorityOverrunM: number;
  temperatureC: number;
  leftDoorsOpen: boolean;
  rightDoorsOpen: boolean;
  interiorLights: boolean;
  exteriorLights: boolean;
  /** Passengers on board (crew not included), persons. */
  passengers: number;
  failures: Failures;
  emergencyBrakeActive: boolean;
  stationsServed: number;
  lastStation: string | null;
}

/** Commands and conditions acting on the train during one step. */
export interface TrainModelInputs {
  specs: Specs;
  /** Traction power command, W; clamped to 0…specs.maxPowerW. */
  powerCommandW: number;
  serviceBrake: boolean;
  /** Emergency brake from the controller or the operator. */
  emergencyBrake: boolean;
  leftDoorsOpen: boolean;
  rightDoorsOpen: boolean;
  interiorLights: boolean;
  exteriorLights: boolean;
  /** Cabin setpoint, °C; null: no HVAC command, the temperature is held. */
  temperatureSetpointC: number | null;
  failures: Failures;
  /**
   * The wayside's authority: `commandedAuthorityM` measured from the model distance
   * `basisDistanceM`. A null basis means "from where the train is at the start of this step".
   * null: no authority received yet (nothing is consumed or reported).
   */
  authority: { commandedAuthorityM: number; basisDistanceM: number | null } | null;
  /** Seed of the passenger counts; the same seed, station and time give the same counts. */
  passengerSeed: number;
}

export const NO_FAILURES: Readonly<Failures> = Object.freeze({ engine: false, brake: false, signal: false });

/** A newly dispatched train: at the start of the route, at rest, doors closed, nobody aboard. */
export function initialTrainState(simTimeS = 0): TrainState {
  return {
    simTimeS,
    routeIndex: 0,
    positionInBlockM: 0,
    distanceM: 0,
    speedMps: 0,
    accelerationMps2: 0,
    authorityRemainingM: null,
    authorityOverrunM: 0,
    temperatureC: INITIAL_CABIN_TEMPERATURE_C,
    leftDoorsOpen: false,
    rightDoorsOpen: false,
    interiorLights: false,
    exteriorLights: false,
    passengers: 0,
    failures: { ...NO_FAILURES },
    emergencyBrakeActive: false,
    stationsServed: 0,
    lastStation: null,
  };
}

/** Inputs with nothing commanded: no power, brakes released, doors closed, lights off, no authority. */
export function idleInputs(specs: Specs): TrainModelInputs {
  return {
    specs,
    powerCommandW: 0,
    serviceBrake: false,
    emergencyBrake: false,
    leftDoorsOpen: false,
    rightDoorsOpen: false,
    interiorLights: false,
    exteriorLights: false,
    temperatureSetpointC: null,
    failures: { ...NO_FAILURES },
    authority: null,
    passengerSeed: 0,
  };
}
