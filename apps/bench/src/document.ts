import { FLEXITY2_SPECS, SCHEMA_VERSION, isTrainData, type Train, type TrainData } from '@rail/schema';
import { BenchError } from './errors.js';

/** The field every contender increments: a whole-document read-modify-write, like a module's step. */
export const COUNTER_TRAIN_ID = 'train_1';

/** Green Line station blocks (from the course workbook) used to give the trains plausible positions. */
const GREEN_STATIONS: ReadonlyArray<{ block: number; name: string; side: 'left' | 'right' | 'both' }> = [
  { block: 65, name: 'GLENBURY', side: 'right' },
  { block: 73, name: 'DORMONT', side: 'right' },
  { block: 77, name: 'MT LEBANON', side: 'both' },
  { block: 88, name: 'POPLAR', side: 'left' },
  { block: 96, name: 'CASTLE SHANNON', side: 'left' },
  { block: 105, name: 'DORMONT', side: 'right' },
  { block: 114, name: 'GLENBURY', side: 'right' },
  { block: 123, name: 'OVERBROOK', side: 'right' },
  { block: 132, name: 'INGLEWOOD', side: 'right' },
  { block: 141, name: 'CENTRAL', side: 'right' },
];

const KMH_TO_MPS = 1 / 3.6;

function train(index: number): Train {
  const station = GREEN_STATIONS[index % GREEN_STATIONS.length];
  if (station === undefined) throw new BenchError('SETUP_FAILED', 'document: station table is empty; cannot build trains.');
  const block = station.block - 2;
  const speedLimitMps = 70 * KMH_TO_MPS;
  // Staggered speeds and distances so the trains do not serialise to identical text (realistic size).
  const speedMps = 5 + (index % 7) * 1.5;
  const passengers = 20 + ((index * 37) % 180);
  return {
    line: 'Green',
    specs: { ...FLEXITY2_SPECS },
    wayside: {
      commandedSpeedMps: speedLimitMps,
      commandedAuthorityM: 400 + (index % 40) * 25,
      speedLimitMps,
      block,
      currentStation: null,
      nextStation: station.name,
      stationSide: station.side,
      routeIndex: 10 + (index % 150),
      authorityBasisDistanceM: 1000 + index * 310.5,
      nextStopRouteIndex: 12 + (index % 150),
      dwellUntilS: null,
    },
    controller: {
      powerCommandW: 48_000 + (index % 50) * 1_000,
      serviceBrake: false,
      emergencyBrake: false,
      leftDoorsOpen: false,
      rightDoorsOpen: false,
      interiorLights: true,
      exteriorLights: true,
      temperatureSetpointC: 21,
      kp: 24_000,
      ki: 1_500,
      mode: 'auto',
      status: 'ok',
      statusMessage: 'following commanded speed',
      simTimeS: 600.5,
    },
    model: {
      speedMps,
      accelerationMps2: 0.25,
      block,
      routeIndex: 10 + (index % 150),
      positionInBlockM: 12.5 + (index % 40),
      // train_1's distance is the benchmark counter: it starts at 0 so the final value is the count.
      distanceM: index === 0 ? 0 : 1000 + index * 310.5 + 87.25,
      authorityRemainingM: 312.75,
      authorityOverrunM: 0,
      temperatureC: 20.5,
      leftDoorsOpen: false,
      rightDoorsOpen: false,
      interiorLights: true,
      exteriorLights: true,
      passengers,
      massKg: FLEXITY2_SPECS.emptyMassKg + (passengers + 2) * 70,
      failures: { engine: false, brake: false, signal: false },
      emergencyBrakeActive: false,
      stationsServed: index % 5,
      lastStation: index % 5 === 0 ? null : 'PIONEER',
      simTimeS: 600.5,
    },
    operator: { emergencyBrake: false, mode: 'auto' },
  };
}

/**
 * A realistic train_data.json with `trainCount` trains on the Green Line (train_1 … train_N), valid
 * against @rail/schema. Deterministic: the same count always gives the same bytes.
 */
export function buildTrainData(trainCount: number): TrainData {
  if (!Number.isInteger(trainCount) || trainCount < 1) {
    throw new BenchError('BAD_ARGUMENT', `document: train count must be a positive integer, got ${trainCount}.`);
  }
  const trains: Record<string, Train> = {};
  for (let i = 0; i < trainCount; i += 1) trains[`train_${i + 1}`] = train(i);
  const doc: TrainData = {
    schemaVersion: SCHEMA_VERSION,
    revision: 0,
    updatedAt: '2025-01-01T00:00:00.000Z',
    lastWriter: { module: 'bench', pid: 1, host: 'bench-host' },
    simTimeS: 600.5,
    trains,
  };
  if (!isTrainData(doc)) {
    const first = isTrainData.issues(doc)[0];
    throw new BenchError(
      'SETUP_FAILED',
      `document: the generated ${trainCount}-train train_data.json is not valid (${first?.path ?? ''}: ${first?.message ?? 'unknown'}); fix buildTrainData to follow the schema.`,
    );
  }
  return doc;
}

/** The counter value of a parsed document, or undefined when the document lacks it. */
export function readCounter(doc: TrainData): number | undefined {
  return doc.trains[COUNTER_TRAIN_ID]?.model?.distanceM;
}
