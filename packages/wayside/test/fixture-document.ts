import { FLEXITY2_SPECS, type TrainData } from '@rail/schema';

/** A document with every section filled by its (pretend) owners, for ownership diffs. */
export function fullDocument(): TrainData {
  const failures = { engine: false, brake: false, signal: false };
  const model = (routeIndex: number, positionInBlockM: number, distanceM: number, block: number) => ({
    speedMps: 4.5,
    accelerationMps2: 0.25,
    block,
    routeIndex,
    positionInBlockM,
    distanceM,
    authorityRemainingM: 12,
    authorityOverrunM: 0,
    temperatureC: 21,
    leftDoorsOpen: false,
    rightDoorsOpen: false,
    interiorLights: true,
    exteriorLights: true,
    passengers: 17,
    massKg: 42_230,
    failures,
    emergencyBrakeActive: false,
    stationsServed: 0,
    lastStation: null,
    simTimeS: 42.5,
  });
  const controller = { powerCommandW: 50_000, serviceBrake: false, emergencyBrake: false, kp: 8000, ki: 40, mode: 'auto' as const, status: 'ok' as const, statusMessage: 'following', simTimeS: 42 };
  const operator = { failures, emergencyBrake: false, mode: 'auto' as const, kp: 8000, ki: 40 };
  return {
    schemaVersion: 1,
    revision: 0,
    updatedAt: '2025-01-01T00:00:00.000Z',
    simTimeS: 42.5,
    lastWriter: { module: 'train-model', pid: 1, host: 'elsewhere' },
    trains: {
      T1: { line: 'Green', specs: { ...FLEXITY2_SPECS }, model: model(0, 50, 50, 63), controller, operator },
      T2: {
        line: 'Green',
        specs: { ...FLEXITY2_SPECS },
        model: model(5, 10, 510, 68),
        controller,
        operator,
        wayside: { commandedSpeedMps: 99, commandedAuthorityM: 1, speedLimitMps: 1, block: 1 },
      },
      T3: { line: 'Blue', specs: { ...FLEXITY2_SPECS } },
    },
  };
}

/** The document without what the wayside may change: wayside sections, lastWriter, and the store's counters. */
export function withoutWaysideView(doc: TrainData): unknown {
  const copy = structuredClone(doc) as unknown as Record<string, unknown> & { trains: Record<string, Record<string, unknown>> };
  delete copy.lastWriter;
  delete copy.revision;
  delete copy.updatedAt;
  for (const train of Object.values(copy.trains)) delete train.wayside;
  return copy;
}
