import { FLEXITY2_SPECS, type Train } from '../src/index.js';

/** A Green Line train that passes the schema in every section: tests break one value of it. */
export function validTrain(): Train {
  return {
    line: 'Green',
    specs: { ...FLEXITY2_SPECS },
    model: {
      speedMps: 5,
      accelerationMps2: 0,
      block: 63,
      positionInBlockM: 10,
      distanceM: 10,
      temperatureC: 21,
      leftDoorsOpen: false,
      rightDoorsOpen: false,
      failures: { engine: false, brake: false, signal: false },
    },
    controller: { powerCommandW: 60_000, serviceBrake: false, emergencyBrake: false, kp: 24_000, ki: 500, mode: 'auto' },
  };
}
