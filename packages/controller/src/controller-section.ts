import type { Controller, Failures, Train } from '@rail/schema';
import type { ControllerConfig } from './config.js';
import type { ControllerInputs, ControllerOutput, WaysideView } from './controller-step.js';
import { resolveGains, type ResolvedGains } from './gains.js';

/**
 * The wayside's commands as seen from the train: authority left = commandedAuthorityM −
 * (model.distanceM − authorityBasisDistanceM), floored at 0 (no basis: measured from here).
 */
export function waysideView(train: Train): WaysideView | null {
  const w = train.wayside;
  if (w === undefined) return null;
  const distanceM = train.model?.distanceM ?? 0;
  const travelledM = distanceM - (w.authorityBasisDistanceM ?? distanceM);
  return {
    commandedSpeedMps: w.commandedSpeedMps,
    speedLimitMps: w.speedLimitMps,
    authorityRemainingM: Math.max(0, w.commandedAuthorityM - travelledM),
    dwelling: w.dwellUntilS !== undefined && w.dwellUntilS !== null,
    stationSide: w.stationSide ?? null,
    stopIsStation: w.nextStopRouteIndex !== undefined && w.nextStopRouteIndex !== null,
  };
}

/** Failures the model reports, or the operator has just requested (whichever knows first). */
function failuresOf(train: Train): Failures {
  const m = train.model?.failures;
  const o = train.operator?.failures;
  return {
    engine: (m?.engine ?? false) || (o?.engine ?? false),
    brake: (m?.brake ?? false) || (o?.brake ?? false),
    signal: (m?.signal ?? false) || (o?.signal ?? false),
  };
}

/**
 * Inputs of `controllerStep` for a train: mode and driver setpoint from the operator, else the
 * controller section's last values, else auto with no setpoint; gains by `resolveGains`.
 */
export function controllerInputsFromTrain(train: Train, config: ControllerConfig): ControllerInputs {
  const section = train.controller;
  const op = train.operator;
  return {
    specs: train.specs,
    speedMps: train.model?.speedMps ?? 0,
    mode: op?.mode ?? section?.mode ?? 'auto',
    driverSpeedMps: op?.driverSpeedMps ?? section?.driverSpeedMps ?? null,
    gains: resolveGains(op, section, config),
    wayside: waysideView(train),
    failures: failuresOf(train),
    operatorEmergencyBrake: op?.emergencyBrake ?? false,
    doorsOpen: (train.model?.leftDoorsOpen ?? false) || (train.model?.rightDoorsOpen ?? false),
    temperatureSetpointC: section?.temperatureSetpointC ?? null,
  };
}

/** The `controller` section for an output (every key the schema knows). */
export function controllerSection(inputs: ControllerInputs, output: ControllerOutput, gains: ResolvedGains, simTimeS: number): Controller {
  const section: Controller = {
    powerCommandW: output.powerCommandW,
    serviceBrake: output.serviceBrake,
    emergencyBrake: output.emergencyBrake,
    leftDoorsOpen: output.leftDoorsOpen,
    rightDoorsOpen: output.rightDoorsOpen,
    interiorLights: output.interiorLights,
    exteriorLights: output.exteriorLights,
    temperatureSetpointC: output.temperatureSetpointC,
    kp: gains.kp,
    ki: gains.ki,
    mode: inputs.mode,
    status: output.status,
    statusMessage: output.statusMessage,
    simTimeS,
  };
  if (inputs.driverSpeedMps !== null) section.driverSpeedMps = inputs.driverSpeedMps;
  return section;
}
