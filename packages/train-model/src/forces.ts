import type { Specs } from '@rail/schema';
import {
  ADHESION_COEFFICIENT,
  AIR_DENSITY_KGPM3,
  DEFAULT_FRONTAL_AREA_M2,
  DEFAULT_MASS_PER_PERSON_KG,
  DRAG_COEFFICIENT,
  GRAVITY_MPS2,
  ROLLING_RESISTANCE_COEFFICIENT,
  TRACTION_SPEED_FLOOR_MPS,
} from './constants.js';

/** Total mass: empty vehicle plus passengers and crew, kg. */
export function trainMassKg(specs: Specs, passengers: number): number {
  const perPersonKg = specs.massPerPassengerKg ?? DEFAULT_MASS_PER_PERSON_KG;
  return specs.emptyMassKg + (passengers + (specs.crewCount ?? 0)) * perPersonKg;
}

/** Angle of a grade given in percent (rise over horizontal run × 100), radians. */
export function gradeAngleRad(gradePercent: number): number {
  return Math.atan(gradePercent / 100);
}

/** Component of gravity along the track, N; positive opposes forward motion (uphill). */
export function gradeForceN(massKg: number, gradePercent: number): number {
  return massKg * GRAVITY_MPS2 * Math.sin(gradeAngleRad(gradePercent));
}

/** Rolling resistance c_rr·m·g·cos θ, N (magnitude; it opposes motion). */
export function rollingResistanceN(massKg: number, gradePercent: number): number {
  return ROLLING_RESISTANCE_COEFFICIENT * massKg * GRAVITY_MPS2 * Math.cos(gradeAngleRad(gradePercent));
}

/** Frontal area from the specs, m². */
export function frontalAreaM2(specs: Specs): number {
  return specs.widthM !== undefined && specs.heightM !== undefined
    ? specs.widthM * specs.heightM
    : DEFAULT_FRONTAL_AREA_M2;
}

/** Aerodynamic drag ½·ρ·Cd·A·v², N (magnitude). */
export function aerodynamicDragN(specs: Specs, speedMps: number): number {
  return 0.5 * AIR_DENSITY_KGPM3 * DRAG_COEFFICIENT * frontalAreaM2(specs) * speedMps * speedMps;
}

/**
 * Tractive force the motor can give at this power and speed, before the vehicle's acceleration
 * limit: F = P / max(v, floor), capped by adhesion μ·m·g·cos θ. Power is clamped to 0…maxPowerW.
 */
export function motorForceN(specs: Specs, powerW: number, speedMps: number, massKg: number, gradePercent: number): number {
  const clampedW = Math.min(Math.max(powerW, 0), specs.maxPowerW);
  const powerLimitedN = clampedW / Math.max(speedMps, TRACTION_SPEED_FLOOR_MPS);
  const adhesionN = ADHESION_COEFFICIENT * massKg * GRAVITY_MPS2 * Math.cos(gradeAngleRad(gradePercent));
  return Math.min(powerLimitedN, adhesionN);
}
