import { describe, expect, it } from 'vitest';
import { canonicalTrainId, normaliseKey } from '../src/legacy/key-names.js';
import { splitUnit } from '../src/legacy/units.js';

describe('key spellings', () => {
  it('spaced, Title Case, camelCase and snake_case spellings of a key are the same key', () => {
    for (const k of ['commanded speed', 'Commanded Speed', 'commandedSpeed', 'commanded_speed', ' COMMANDED-SPEED ']) {
      expect(normaliseKey(k), k).toBe('commanded_speed');
    }
    expect(normaliseKey('temperature_F')).toBe('temperature_f');
    expect(normaliseKey('maxPowerHp')).toBe('max_power_hp');
  });

  it('train_1, Train 1, TRAIN-1 and 1 are all train_1; other names are not train ids', () => {
    for (const k of ['train_1', 'Train 1', 'TRAIN-1', '1', 'train1']) expect(canonicalTrainId(k), k).toBe('train_1');
    expect(canonicalTrainId('train_01')).toBe('train_01');
    for (const k of ['train one', 'Train #2', 'specs', '', 'train_', '1.5']) expect(canonicalTrainId(k), k).toBeUndefined();
  });
});

describe('unit suffixes and their SI conversion', () => {
  const cases: Array<[string, number, string, number]> = [
    // key, legacy value, base name, SI value computed by hand from the exact definitions
    ['velocity_mph', 10, 'velocity', 4.4704], // 1 mph = 1609.344 m / 3600 s = 0.44704 m/s
    ['velocity_mps', 10, 'velocity', 10],
    ['speed_limit_kmh', 54, 'speed_limit', 15], // 54 / 3.6
    ['position_yds', 100, 'position', 91.44], // 1 yd = 0.9144 m
    ['length_ft', 10, 'length', 3.048], // 1 ft = 0.3048 m
    ['position_m', 7, 'position', 7],
    ['max_accel_ftps2', 1, 'max_accel', 0.3048],
    ['service_brake_mps2', -1.2, 'service_brake', -1.2], // sign is the importer's job, not the unit's
    ['mass_lbs', 1000, 'mass', 453.59237], // 1 lb = 0.45359237 kg
    ['mass_kg', 5, 'mass', 5],
    ['max_power_hp', 100, 'max_power', 74_569.9872], // 1 hp = 745.699872 W
    ['max_power_w', 120_000, 'max_power', 120_000],
    ['max_power_kw', 120, 'max_power', 120_000],
    ['temperature_f', 212, 'temperature', 100], // (212 − 32) × 5/9
    ['temperature_f', -40, 'temperature', -40],
    ['temperature_c', 21, 'temperature', 21],
  ];
  for (const [key, value, base, si] of cases) {
    it(`${key} = ${value} → ${si}`, () => {
      const split = splitUnit(key);
      expect(split.base).toBe(base);
      expect(split.unit?.toSi(value)).toBeCloseTo(si, 9);
    });
  }

  it('a key without a unit suffix keeps its whole name', () => {
    expect(splitUnit('crew_count')).toEqual({ base: 'crew_count', unit: undefined, suffix: undefined });
    expect(splitUnit('m')).toEqual({ base: 'm', unit: undefined, suffix: undefined });
  });
});
