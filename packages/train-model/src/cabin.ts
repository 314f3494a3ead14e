import { CABIN_TIME_CONSTANT_S } from './constants.js';

/**
 * Cabin temperature after `dtS` seconds of first-order approach to the setpoint:
 * T(t+dt) = S + (T − S)·exp(−dt/τ), τ = CABIN_TIME_CONSTANT_S. The exact solution, so the result
 * does not depend on how a period is split. A null setpoint holds the temperature.
 */
export function cabinTemperatureC(currentC: number, setpointC: number | null, dtS: number): number {
  if (setpointC === null) return currentC;
  return setpointC + (currentC - setpointC) * Math.exp(-dtS / CABIN_TIME_CONSTANT_S);
}
