import type { Failures, Specs } from '@rail/schema';
import { DEFAULT_CONTROLLER_CONFIG, type ControllerConfig } from './config.js';
import { ControllerError } from './errors.js';
import type { ResolvedGains } from './gains.js';
import { holdPi, INITIAL_PI_STATE, piStep, type PiState } from './pi.js';
import { combineVital, vitalByDistance, vitalBySpeed, type CombinedVital, type VitalChannel } from './vital.js';

export type ControllerStatus = 'ok' | 'no-gains' | 'no-input' | 'authority-stop' | 'overspeed' | 'station-stop' | 'emergency' | 'vital-disagree' | 'failure';

/** What the controller remembers between steps (the runner keeps it in memory per train). */
export interface ControllerState {
  pi: PiState;
}

export const INITIAL_CONTROLLER_STATE: Readonly<ControllerState> = Object.freeze({ pi: INITIAL_PI_STATE });

/** The wayside's commands as the controller uses them. */
export interface WaysideView {
  commandedSpeedMps: number;
  speedLimitMps: number;
  /** Authority left, m (commanded authority minus what was travelled since). */
  authorityRemainingM: number;
  /** The wayside holds the train at a station (dwellUntilS is set). */
  dwelling: boolean;
  stationSide: 'left' | 'right' | 'both' | null;
  /** The authority ends at a station stop point (not behind another train). */
  stopIsStation: boolean;
}

export interface ControllerInputs {
  specs: Specs;
  /** Train speed from the model, m/s. */
  speedMps: number;
  mode: 'auto' | 'manual';
  /** Driver setpoint for manual mode, m/s; null when none was given. */
  driverSpeedMps: number | null;
  gains: ResolvedGains;
  /** Wayside commands; null when none have been received. Ignored under signal failure. */
  wayside: WaysideView | null;
  failures: Failures;
  operatorEmergencyBrake: boolean;
  /** Doors as the model reports them. */
  doorsOpen: boolean;
  /** Cabin setpoint, °C; null: the configured default. */
  temperatureSetpointC: number | null;
}

export interface ControllerOutput {
  powerCommandW: number;
  serviceBrake: boolean;
  emergencyBrake: boolean;
  leftDoorsOpen: boolean;
  rightDoorsOpen: boolean;
  interiorLights: boolean;
  exteriorLights: boolean;
  temperatureSetpointC: number;
  /** Speed the PI loop aimed at, m/s. */
  targetSpeedMps: number;
  status: ControllerStatus;
  statusMessage: string;
  vital: CombinedVital;
}

export interface ControllerStepOptions {
  config?: ControllerConfig;
  /** The two vital channels; replaceable only to test the disagreement path. */
  vitalChannels?: readonly [VitalChannel, VitalChannel];
}

const fmt = (value: number, digits = 2) => value.toFixed(digits);

/**
 * Highest speed from which the planned stop (reaction time t_r, then deceleration a) still ends
 * `stopMarginM` before the end of the authority: v·t_r + v²/(2a) = authority − margin.
 */
export function approachSpeedMps(authorityM: number, config: ControllerConfig): number {
  const spareM = authorityM - config.stopMarginM;
  if (spareM <= 0) return 0;
  const a = config.planningDecelerationMps2;
  const t = config.reactionTimeS;
  return a * (Math.sqrt(t * t + (2 * spareM) / a) - t);
}

/**
 * One controller step: the PI speed law under the vital checks. Pure: the result depends only on
 * the arguments (`dtS` is the model's simulated time since the previous step).
 */
export function controllerStep(
  state: ControllerState,
  inputs: ControllerInputs,
  dtS: number,
  options: ControllerStepOptions = {},
): { state: ControllerState; output: ControllerOutput } {
  if (!Number.isFinite(dtS) || dtS < 0) {
    throw new ControllerError('INVALID_INPUT', `controllerStep: dtS must be a finite number of seconds >= 0, got ${String(dtS)}; pass the model's simulated time since the last step.`);
  }
  if (!Number.isFinite(inputs.speedMps) || inputs.speedMps < 0) {
    throw new ControllerError('INVALID_INPUT', `controllerStep: speedMps must be a finite number >= 0, got ${String(inputs.speedMps)}; check the model section.`);
  }
  const config = options.config ?? DEFAULT_CONTROLLER_CONFIG;
  const { specs, failures } = inputs;
  const v = inputs.speedMps;
  // Signal failure: wayside commands are treated as not received at all.
  const wayside = failures.signal ? null : inputs.wayside;
  const speedLimitMps = Math.min(specs.maxSpeedMps, wayside?.speedLimitMps ?? specs.maxSpeedMps);
  const vital = combineVital(
    {
      speedMps: v,
      authorityM: wayside?.authorityRemainingM ?? null,
      speedLimitMps,
      serviceBrakeMps2: specs.serviceBrakeMps2,
      reactionTimeS: config.reactionTimeS,
      marginM: config.vitalMarginM,
      signalFailure: failures.signal,
      operatorEmergencyBrake: inputs.operatorEmergencyBrake,
    },
    options.vitalChannels ?? [vitalByDistance, vitalBySpeed],
  );

  const setpointMps = inputs.mode === 'auto' ? (wayside?.commandedSpeedMps ?? null) : inputs.driverSpeedMps;
  const setpointLabel = inputs.mode === 'auto' ? 'wayside commanded speed' : 'driver setpoint';
  const curveMps = wayside === null ? 0 : approachSpeedMps(wayside.authorityRemainingM, config);
  const targetSpeedMps = Math.max(0, Math.min(setpointMps ?? 0, speedLimitMps, curveMps));
  const errorMps = targetSpeedMps - v;

  const stopped = v < config.stoppedSpeedMps;
  const dwellDoors = wayside !== null && wayside.dwelling && stopped;
  const side = wayside?.stationSide ?? null;
  const base = {
    leftDoorsOpen: dwellDoors && side !== 'right',
    rightDoorsOpen: dwellDoors && side !== 'left',
    interiorLights: true,
    exteriorLights: true,
    temperatureSetpointC: inputs.temperatureSetpointC ?? config.temperatureSetpointC,
    targetSpeedMps,
    vital,
  };

  const brakeWith = (status: ControllerStatus, message: string, emergency = false) => {
    // Brake failure: the service brake does not work, so the emergency brake stands in for it.
    const useEmergency = emergency || failures.brake;
    const note = !emergency && failures.brake ? ' (brake failure: emergency brake used instead of the service brake)' : '';
    return {
      state: { pi: holdPi(state.pi, errorMps) },
      output: {
        ...base,
        powerCommandW: 0,
        serviceBrake: !useEmergency,
        emergencyBrake: useEmergency,
        status: !emergency && failures.brake ? 'failure' : status,
        statusMessage: message + note,
      } satisfies ControllerOutput,
    };
  };

  const authorityText = wayside === null ? 'none' : `${fmt(wayside.authorityRemainingM, 1)} m`;
  if (vital.disagree) {
    return brakeWith('vital-disagree', `vital channels disagree (A: ${vital.channels[0].reason}, B: ${vital.channels[1].reason}) at ${fmt(v)} m/s, authority ${authorityText}; braking to the safe side.`, vital.emergencyBrake);
  }
  if (vital.emergencyBrake) {
    if (vital.reason === 'signal-failure') return brakeWith('failure', 'signal failure: wayside commands are not received; emergency brake.', true);
    if (vital.reason === 'operator-emergency') return brakeWith('emergency', 'operator emergency brake pulled.', true);
    return brakeWith('emergency', `authority overrun predicted: ${fmt(v)} m/s needs ${fmt((v * v) / (2 * specs.serviceBrakeMps2), 1)} m with the service brake, authority left ${authorityText}; emergency brake.`, true);
  }
  if (failures.engine) return brakeWith('failure', 'engine failure: no traction available; service brake.');
  if (vital.serviceBrake) {
    if (vital.reason === 'no-authority') return brakeWith('no-input', 'no wayside commands received yet (no authority); holding with the service brake.');
    if (vital.reason === 'overspeed') return brakeWith('overspeed', `speed ${fmt(v)} m/s above the limit ${fmt(speedLimitMps)} m/s; service brake.`);
    const status = wayside?.dwelling || wayside?.stopIsStation ? 'station-stop' : 'authority-stop';
    return brakeWith(status, `authority ${authorityText} is within the service-braking distance at ${fmt(v)} m/s; service brake.`);
  }
  if (setpointMps === null) {
    return brakeWith('no-input', inputs.mode === 'manual' ? 'manual mode without a driver setpoint (operator.driverSpeedMps); holding with the service brake.' : 'no wayside commanded speed; holding with the service brake.');
  }
  if (base.leftDoorsOpen || base.rightDoorsOpen || inputs.doorsOpen) {
    return brakeWith('station-stop', `doors open at the station stop (side ${side ?? 'unknown: both opened'}); no traction with doors open.`);
  }
  if (inputs.gains.kp === null || inputs.gains.ki === null) {
    return brakeWith('no-gains', `speed-loop gains are not set (kp ${String(inputs.gains.kp)}, ki ${String(inputs.gains.ki)}) and no defaults are configured; set operator.kp and operator.ki. Commanding 0 W.`);
  }
  if (targetSpeedMps === 0 && stopped) {
    const why = curveMps === 0 ? `authority ${authorityText} is used up` : `the ${setpointLabel} is 0 m/s`;
    return brakeWith(curveMps === 0 ? (wayside?.stopIsStation ? 'station-stop' : 'authority-stop') : 'no-input', `stopped: ${why}; holding with the service brake.`);
  }
  if (v > targetSpeedMps + config.brakeHysteresisMps) {
    const limitedByAuthority = curveMps < Math.min(setpointMps, speedLimitMps);
    return brakeWith(
      limitedByAuthority ? (wayside?.stopIsStation ? 'station-stop' : 'authority-stop') : 'overspeed',
      `speed ${fmt(v)} m/s above the target ${fmt(targetSpeedMps)} m/s (${limitedByAuthority ? `approach to the end of authority ${authorityText}` : setpointLabel}); service brake.`,
    );
  }

  const pi = piStep(state.pi, errorMps, dtS, inputs.gains.kp, inputs.gains.ki, specs.maxPowerW);
  let status: ControllerStatus = 'ok';
  let statusMessage = `following ${fmt(targetSpeedMps)} m/s (${curveMps < Math.min(setpointMps, speedLimitMps) ? 'stop approach' : setpointLabel}) at ${fmt(v)} m/s: ${fmt(pi.powerW / 1000, 1)} kW; gains kp ${inputs.gains.kp} W·s/m, ki ${inputs.gains.ki} W/m from ${inputs.gains.source}.`;
  if (pi.powerW === 0) {
    status = curveMps < Math.min(setpointMps, speedLimitMps) ? (wayside?.stopIsStation ? 'station-stop' : 'authority-stop') : 'overspeed';
    statusMessage = `coasting at 0 W: speed ${fmt(v)} m/s is at or above the target ${fmt(targetSpeedMps)} m/s.`;
  }
  return {
    state: { pi: pi.state },
    output: { ...base, powerCommandW: pi.powerW, serviceBrake: false, emergencyBrake: false, status, statusMessage },
  };
}
