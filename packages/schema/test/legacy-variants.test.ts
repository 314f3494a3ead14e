import { describe, expect, it } from 'vitest';
import { formatImportReport, importLegacyTrainData, isTrainData, RailSchemaError } from '../src/index.js';

const NOW = new Date('2025-01-01T00:00:00Z');

function importText(value: unknown, options: Parameters<typeof importLegacyTrainData>[1] = {}) {
  const result = importLegacyTrainData(JSON.stringify(value, null, 2), { now: NOW, ...options });
  expect(isTrainData.issues(result.document)).toEqual([]);
  return result;
}

// A full set of train-model state in SI spellings never seen in the real fixtures.
const siTrain = {
  specs: {
    length_m: 32.2,
    mass_kg: 40900,
    max_power_w: 120000,
    max_accel_mps2: 0.5,
    service_brake_mps2: -1.2,
    emergency_brake_mps2: -2.73,
    max_speed_kmh: 70,
    capacity: 222,
  },
  state: {
    velocity_mps: 12.5,
    acceleration_mps2: -0.25,
    position_m: 512,
    position_in_block_m: 37.5,
    block: 63,
    temperature_C: 20,
    left_door_open: false,
    right_door_open: true,
    commanded_speed_mps: 15,
    commanded_authority_m: 400,
    speed_limit_kmh: 54,
    power_command_w: 85000,
    service_brake: false,
    emergency_brake: false,
    kp: 24000,
    ki: 500,
  },
};

describe('SI-suffixed variant (mass_kg, max_power_w, velocity_mps, *_mps2)', () => {
  it('keeps SI values unchanged, converts km/h, and needs no guess for units or sections', () => {
    const { document, report } = importText({ train_7: siTrain }, { line: 'Green' });
    const t = document.trains.train_7;
    expect(report.unitSystem.system).toBe('si');
    expect(t?.specs).toMatchObject({ lengthM: 32.2, emptyMassKg: 40900, maxPowerW: 120000, maxAccelerationMps2: 0.5, serviceBrakeMps2: 1.2, emergencyBrakeMps2: 2.73 });
    expect(t?.specs.maxSpeedMps).toBeCloseTo(70 / 3.6, 12); // 19.444 m/s
    expect(t?.model).toMatchObject({ speedMps: 12.5, accelerationMps2: -0.25, distanceM: 512, positionInBlockM: 37.5, block: 63, temperatureC: 20, rightDoorsOpen: true });
    expect(t?.wayside).toMatchObject({ commandedSpeedMps: 15, commandedAuthorityM: 400, block: 63 });
    expect(t?.wayside?.speedLimitMps).toBeCloseTo(15, 12); // 54 km/h / 3.6
    expect(t?.controller).toMatchObject({ powerCommandW: 85000, kp: 24000, ki: 500, mode: 'auto' });
    const unitGuesses = report.trains[0]?.guessed.filter((g) => g.what.startsWith('unit of')) ?? [];
    expect(unitGuesses).toEqual([]);
  });

  it('still needs positionInBlockM: with a block but no position in it, the model is omitted and reported', () => {
    const { position_in_block_m: _dropped, ...state } = siTrain.state;
    const { document, report } = importText({ train_7: { ...siTrain, state } });
    expect(document.trains.train_7?.model).toBeUndefined();
    expect(report.trains[0]?.warnings.join('\n')).toMatch(/section model omitted: required positionInBlockM/);
  });

  it('reads unsuffixed keys as SI when the other keys of the file are SI', () => {
    const { document, report } = importText({ train_1: { specs: siTrain.specs, inputs: { commanded_speed: 10, commanded_authority: 250, speed_limit: 12, block: 5 } } });
    expect(report.unitSystem.system).toBe('si');
    expect(document.trains.train_1?.wayside).toMatchObject({ commandedSpeedMps: 10, commandedAuthorityM: 250, speedLimitMps: 12, block: 5 });
    expect(report.trains[0]?.guessed).toContainEqual(expect.objectContaining({ what: 'unit of inputs.commanded_speed', value: 'm/s' }));
  });

  it('converts hp to W: 150 hp × 745.699872 = 111 854.98 W', () => {
    const { document } = importText({ train_1: { specs: { ...siTrain.specs, max_power_w: undefined, max_power_hp: 150 } } });
    expect(document.trains.train_1?.specs.maxPowerW).toBeCloseTo(111_854.9808, 6);
  });
});

describe('"Train N" keys, spaced Title Case, empty strings', () => {
  const file = {
    'Train 3': {
      'Commanded Speed': 25,
      'Commanded Authority': 500,
      'Speed Limit': 30,
      Block: 12,
      'Station Side': 'Left',
      'Next Station': '',
      'Current Station': '',
    },
    'TRAIN-4': { 'Commanded Speed': '', 'Commanded Authority': 0, 'Speed Limit': 0, Block: 0 },
  };

  it('maps by key meaning whatever the spelling: 25 mph = 11.176 m/s, 500 yd = 457.2 m', () => {
    const { document } = importText(file);
    const w = document.trains.train_3?.wayside;
    expect(w?.commandedSpeedMps).toBeCloseTo(25 * 0.44704, 12);
    expect(w?.commandedAuthorityM).toBeCloseTo(500 * 0.9144, 12);
    expect(w?.speedLimitMps).toBeCloseTo(30 * 0.44704, 12);
    expect(w).toMatchObject({ block: 12, stationSide: 'left', nextStation: null, currentStation: null });
  });

  it('treats "" as unset: a required field left empty omits the section and says why', () => {
    const { document, report } = importText(file);
    expect(document.trains.train_4?.wayside).toBeUndefined();
    const t4 = report.trains.find((t) => t.trainId === 'train_4');
    expect(t4?.legacyKey).toBe('TRAIN-4');
    expect(t4?.dropped.find((d) => d.from === 'Commanded Speed')?.reason).toMatch(/empty string .*unset.*left without a value/);
    expect(t4?.warnings.join('\n')).toMatch(/section wayside omitted: required commandedSpeedMps/);
  });
});

describe('leftover root keys and ids', () => {
  it('uses a root specs for trains that have none, and reports it', () => {
    const { document, report } = importText({
      specs: { mass_lbs: 100000, length_ft: 100 },
      '1': { inputs: { power_command: 1000, service_brake: false, emergency_brake: true } },
      notes: 'left by a test script',
    });
    const t = document.trains.train_1;
    expect(t?.specs.emptyMassKg).toBeCloseTo(45_359.237, 6); // 100 000 lb × 0.45359237
    expect(t?.specs.lengthM).toBeCloseTo(30.48, 12); // 100 ft
    expect(t?.controller).toMatchObject({ powerCommandW: 1000, emergencyBrake: true, kp: null, ki: null, mode: 'auto' });
    expect(report.file.guessed[0]).toMatchObject({ what: 'root "specs"', value: ['train_1'] });
    expect(report.trains[0]?.converted.find((c) => c.to === 'specs.emptyMassKg')?.from).toBe('(root).specs.mass_lbs');
    expect(report.file.dropped.find((d) => d.from === 'notes')?.reason).toMatch(/not a train key/);
  });

  it('keeps the first of two keys naming the same train and reports the second', () => {
    const { document, report } = importText({ train_1: { inputs: { power_command: 10 } }, 'Train 1': { inputs: { power_command: 20 } } });
    expect(Object.keys(document.trains)).toEqual(['train_1']);
    expect(report.file.dropped[0]).toMatchObject({ from: 'Train 1' });
    expect(report.file.dropped[0]?.reason).toMatch(/also train train_1/);
  });

  it('drops keys that are not train ids (e.g. "train one", "Train #2") with a reason', () => {
    const { document, report } = importText({ 'train one': { inputs: {} }, 'Train #2': { inputs: {} } });
    expect(document.trains).toEqual({});
    expect(report.file.dropped.map((d) => d.from)).toEqual(['train one', 'Train #2']);
    expect(report.warnings[0]).toMatch(/no train keys .*zero trains/);
  });
});

describe('values the schema would reject are dropped and reported, never written', () => {
  it('a negative speed, a power command above 120 kW, NaN-like text and an unknown key', () => {
    const { document, report } = importText({
      train_1: {
        outputs: { velocity_mps: -3, power_command_w: 130000, service_brake: false, emergency_brake: false },
        inputs: { commanded_speed: 'NaN', commanded_authority: 'Infinity', flux_capacitor: 1.21 },
      },
    });
    const t = report.trains[0];
    const reason = (from: string) => t?.dropped.find((d) => d.from === from)?.reason;
    expect(reason('outputs.velocity_mps')).toMatch(/model\.speedMps = -3 m\/s, which is below the schema minimum 0/);
    expect(reason('outputs.power_command_w')).toMatch(/controller\.powerCommandW = 130000 W, which is above the schema maximum 120000/);
    expect(reason('inputs.commanded_speed')).toMatch(/"NaN" is not a number/);
    expect(reason('inputs.commanded_authority')).toMatch(/"Infinity" is not a number/);
    expect(reason('inputs.flux_capacitor')).toMatch(/unknown key "flux_capacitor"/);
    // Without its power command the controller section cannot be written: omitted, and said so.
    expect(document.trains.train_1?.controller).toBeUndefined();
    expect(t?.warnings.join('\n')).toMatch(/section controller omitted: required powerCommandW/);
  });

  it('numbers written as text are read and the note says so', () => {
    const { document, report } = importText({ train_1: { inputs: { power_command: ' 5000 ', service_brake: 'false', emergency_brake: false } } });
    expect(document.trains.train_1?.controller?.powerCommandW).toBe(5000);
    expect(document.trains.train_1?.controller?.serviceBrake).toBe(false);
    expect(report.trains[0]?.converted.find((c) => c.to === 'controller.powerCommandW')?.note).toMatch(/number stored as text/);
  });

  it('a key whose unit contradicts its meaning (velocity in yards) is dropped', () => {
    const { report } = importText({ train_1: { outputs: { velocity_yds: 3 } } });
    expect(report.trains[0]?.dropped[0]?.reason).toMatch(/unit yd is a length, but model\.speedMps is a speed/);
  });
});

describe('formatImportReport', () => {
  it('prints each train with its conversions, drops, guesses and warnings', () => {
    const { report } = importText({ 'Train 2': { 'Commanded Speed': 30, power_command: 0, velocity_mph: 10, mystery: 1, specs: { mass_lbs: 1000 } } });
    const text = formatImportReport(report);
    expect(text).toMatch(/^<legacy train_data>: imported 1 train;/);
    expect(text).toContain('train_2 (from "Train 2")');
    expect(text).toContain('mystery = 1: unknown key "mystery"');
    // 1000 lb × 0.45359237 = 453.59237 kg
    expect(text).toContain('specs.mass_lbs = 1000 lb -> specs.emptyMassKg = 453.59237 kg');
    expect(text).toContain('velocity_mph = 10: section model omitted');
    expect(text).toContain('WARNING: moving at 4.470 m/s with power command 0 W');
  });
});

describe('options', () => {
  it('rejects an invalid line name and an invalid date with IMPORT_FAILED', () => {
    for (const options of [{ line: 'Green Line!' }, { now: new Date('not a date') }]) {
      try {
        importLegacyTrainData('{}', options);
        expect.unreachable('should throw');
      } catch (e) {
        expect(RailSchemaError.isInstance(e) && e.code).toBe('IMPORT_FAILED');
      }
    }
  });

  it('refuses a document that is already canonical', () => {
    const text = JSON.stringify({ schemaVersion: 1, revision: 3, updatedAt: '2025-01-01T00:00:00Z', trains: {} });
    expect(() => importLegacyTrainData(text)).toThrow(/already a canonical train_data document.*parseTrainData/);
  });
});
