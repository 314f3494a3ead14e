import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { importLegacyTrainData, isTrainData, parseTrainData, RailSchemaError } from '../src/index.js';

const NOW = new Date('2025-01-01T00:00:00Z');

/** Runs the importer; a result must be a valid document, a failure must be a RailSchemaError. */
function importOrRailError(text: string): void {
  try {
    const { document } = importLegacyTrainData(text, { now: NOW });
    expect(isTrainData.issues(document)).toEqual([]);
  } catch (e) {
    if (!RailSchemaError.isInstance(e)) throw e;
    expect(e.message.length).toBeGreaterThan(20);
  }
}

// Keys and values shaped like the legacy files, so the fuzz reaches the mapping code, not only
// the "not a train key" branch.
const legacyKey = fc.oneof(
  fc.constantFrom(
    'velocity_mph', 'velocity_mps', 'commanded speed', 'Commanded Authority', 'authority_yds', 'position_yds', 'power_command',
    'max_power_hp', 'max_power_w', 'mass_lbs', 'mass_kg', 'service_brake_ftps2', 'service_brake', 'emergency_brake', 'kp', 'ki',
    'manual_mode', 'temperature_F', 'set_temperature', 'station_side', 'block', 'speed limit', 'capacity', 'train_model_brake_failure',
    'velocity_yds', 'length_ft', 'max_speed_kmh', 'position_in_block_m', 'acceleration_ftps2', 'left_door_open', 'right_door_open',
  ),
  fc.string({ maxLength: 12 }),
);
const legacyValue = fc.oneof(
  fc.double({ noDefaultInfinity: false }).filter((x) => Number.isFinite(x)),
  fc.integer({ min: -200, max: 200_000 }),
  fc.constantFrom('', 'NaN', 'Infinity', '12.5', 'true', 'left', 'auto', 'None', null, true, false),
  fc.string({ maxLength: 8 }),
);
const section = fc.dictionary(legacyKey, fc.oneof(legacyValue, fc.dictionary(legacyKey, legacyValue, { maxKeys: 4 })), { maxKeys: 12 });
const trainKey = fc.oneof(fc.constantFrom('train_1', 'Train 2', '3', 'TRAIN-4', 'train_01', 'specs', 'inputs', 'outputs'), fc.string({ maxLength: 10 }));
const legacyFile = fc.dictionary(
  trainKey,
  fc.oneof(fc.record({ inputs: section, outputs: section, specs: section }, { requiredKeys: [] }), section, legacyValue),
  { maxKeys: 6 },
);

describe('no input makes the parser or the importer throw anything but RailSchemaError', () => {
  it('arbitrary JSON values into parseTrainData and importLegacyTrainData', () => {
    fc.assert(
      fc.property(fc.jsonValue({ maxDepth: 4 }), (value) => {
        const text = JSON.stringify(value) ?? 'null';
        const parsed = parseTrainData(text);
        if (!parsed.ok) expect(RailSchemaError.isInstance(parsed.error)).toBe(true);
        importOrRailError(text);
      }),
      { numRuns: 400, seed: 20251207 },
    );
  });

  it('legacy-shaped files with random keys, units and values', () => {
    fc.assert(
      fc.property(legacyFile, (file) => {
        const text = JSON.stringify(file);
        importOrRailError(text);
        const parsed = parseTrainData(text);
        expect(parsed.ok).toBe(false);
      }),
      { numRuns: 400, seed: 1140 },
    );
  });

  it('arbitrary text, including cut-off JSON', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 40 }), fc.json({ maxDepth: 3 }).chain((j) => fc.nat(j.length).map((n) => j.slice(0, n)))), (text) => {
        const parsed = parseTrainData(text);
        if (!parsed.ok) {
          expect(RailSchemaError.isInstance(parsed.error)).toBe(true);
          if (parsed.error.code === 'JSON_SYNTAX') expect(parsed.error.line).toBeGreaterThanOrEqual(1);
        }
        importOrRailError(text);
      }),
      { numRuns: 400, seed: 42 },
    );
  });
});
