import { FLEXITY2_SPECS, type TrainData } from '@rail/schema';

/** A document with every section of two trains filled, as other modules would have left it. */
export function fullDocument(): TrainData {
  const specs = { ...FLEXITY2_SPECS };
  return {
    schemaVersion: 1,
    revision: 0,
    updatedAt: '2025-01-01T00:00:00Z',
    lastWriter: { module: 'wayside', pid: 1, host: 'other' },
    simTimeS: 10,
    trains: {
      T1: {
        line: 'Blue',
        specs,
        wayside: { commandedSpeedMps: 13.9, commandedAuthorityM: 475, speedLimitMps: 13.9, block: 1, currentStation: null, nextStation: 'B', stationSide: null, routeIndex: 0, authorityBasisDistanceM: 0, nextStopRouteIndex: 9, dwellUntilS: null },
        controller: { powerCommandW: 80_000, serviceBrake: false, emergencyBrake: false, leftDoorsOpen: false, rightDoorsOpen: false, interiorLights: true, exteriorLights: true, temperatureSetpointC: 22, kp: 120_000, ki: 2_000, mode: 'auto', status: 'ok', statusMessage: 'set by a test', simTimeS: 10 },
        model: { speedMps: 3, accelerationMps2: 0.5, block: 1, routeIndex: 0, positionInBlockM: 10, distanceM: 10, temperatureC: 20, leftDoorsOpen: false, rightDoorsOpen: false, failures: { engine: false, brake: false, signal: false }, simTimeS: 10 },
        operator: { mode: 'auto', emergencyBrake: false, failures: { engine: false, brake: false, signal: false }, kp: 120_000, ki: 2_000 },
      },
      T2: {
        line: 'Green',
        specs,
        wayside: { commandedSpeedMps: 19.4, commandedAuthorityM: 300, speedLimitMps: 19.4, block: 63, currentStation: null, nextStation: 'GLENBURY', stationSide: 'right', routeIndex: 0, authorityBasisDistanceM: 0, nextStopRouteIndex: 2, dwellUntilS: null },
        controller: { powerCommandW: 0, serviceBrake: true, emergencyBrake: false, kp: null, ki: null, mode: 'manual', driverSpeedMps: 5, status: 'no-gains', statusMessage: 'set by a test' },
        operator: { mode: 'manual', driverSpeedMps: 5 },
      },
    },
  };
}
