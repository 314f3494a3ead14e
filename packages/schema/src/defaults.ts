import type { Specs, TrainData } from './generated/index.js';

export const SCHEMA_VERSION = 1 as const;

/**
 * Bombardier Flexity 2 (the course's vehicle, Blackpool configuration), from the track-layout
 * workbook's vehicle data sheet. Mass is metric tonnes: 40.9 t = 40 900 kg (not short tons).
 */
export const FLEXITY2_SPECS: Readonly<Specs> = Object.freeze({
  lengthM: 32.2,
  widthM: 2.65,
  heightM: 3.42,
  emptyMassKg: 40_900,
  maxPowerW: 120_000,
  maxAccelerationMps2: 0.5,
  serviceBrakeMps2: 1.2,
  emergencyBrakeMps2: 2.73,
  maxSpeedMps: 70 / 3.6,
  capacityPassengers: 222,
  crewCount: 2,
  massPerPassengerKg: 70,
});

/** A valid document with no trains, revision 0. */
export function emptyTrainData(now: Date = new Date()): TrainData {
  return { schemaVersion: SCHEMA_VERSION, revision: 0, updatedAt: now.toISOString(), trains: {} };
}
