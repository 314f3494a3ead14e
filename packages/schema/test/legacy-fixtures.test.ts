import { createHash } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { importLegacyTrainData, isTrainData, type ImportReport, type TrainImportReport } from '../src/index.js';

const dir = join(import.meta.dirname, 'fixtures', 'legacy');
const read = (name: string) => readFileSync(join(dir, name), 'utf8');
const NOW = new Date('2025-12-07T12:00:00Z');

// Exact definitions: 1 mph = 0.44704 m/s, 1 yd = 0.9144 m, 1 ft = 0.3048 m, 1 lb = 0.45359237 kg.
const MPH = 0.44704;
const YD = 0.9144;

function train(report: ImportReport, id: string): TrainImportReport {
  const t = report.trains.find((x) => x.trainId === id);
  if (!t) throw new Error(`no train ${id} in the report`);
  return t;
}

function convertedTo(t: TrainImportReport, to: string) {
  return t.converted.find((c) => c.to === to);
}

function droppedFrom(t: TrainImportReport, from: string) {
  return t.dropped.filter((d) => d.from === from);
}

describe('the committed fixtures', () => {
  it('are the real files byte for byte (SHA-256 recorded in fixtures/legacy/README.md)', () => {
    const readme = read('README.md');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['edge-empty-object.json', 'legacy-imperial-5-trains.json', 'legacy-train-states.json', 'legacy-wayside-to-train.json']);
    for (const f of files) {
      const sha = createHash('sha256').update(readFileSync(join(dir, f))).digest('hex');
      expect(readme, f).toContain(`\`${f}\``);
      expect(readme, f).toContain(sha);
    }
  });
});

describe('every real legacy file imports to a valid document', () => {
  for (const file of ['legacy-imperial-5-trains.json', 'legacy-train-states.json', 'legacy-wayside-to-train.json', 'edge-empty-object.json']) {
    for (const unknownBlock of ['omit-section', 'null'] as const) {
      it(`${file} (unknownBlock ${unknownBlock}) passes isTrainData`, () => {
        const { document } = importLegacyTrainData(read(file), { source: file, now: NOW, unknownBlock });
        expect(isTrainData.issues(document)).toEqual([]);
        expect(document.updatedAt).toBe('2025-12-07T12:00:00.000Z');
        expect(document.revision).toBe(0);
      });
    }
  }
});

describe('legacy-imperial-5-trains.json (train model file, imperial)', () => {
  const text = read('legacy-imperial-5-trains.json');

  it('keeps all five trains under their canonical ids and reads unsuffixed keys as imperial', () => {
    const { document, report } = importLegacyTrainData(text, { now: NOW });
    expect(Object.keys(document.trains)).toEqual(['train_1', 'train_2', 'train_3', 'train_4', 'train_5']);
    expect(report.unitSystem.system).toBe('imperial');
  });

  it('converts velocity, position and authority to SI (model and wayside kept with unknownBlock "null")', () => {
    const { document } = importLegacyTrainData(text, { now: NOW, unknownBlock: 'null' });
    const t1 = document.trains.train_1;
    // velocity_mph 8.818288545163785 × 0.44704 = 3.94212771… m/s
    expect(t1?.model?.speedMps).toBeCloseTo(8.818288545163785 * MPH, 12);
    expect(t1?.model?.speedMps).toBeCloseTo(3.942128, 6);
    // position_yds 1299.4114512227818 × 0.9144 = 1188.18183… m, a distance along the track
    expect(t1?.model?.distanceM).toBeCloseTo(1188.181831, 6);
    expect(t1?.model?.positionInBlockM).toBe(0);
    expect(t1?.model?.block).toBeNull();
    // authority_yds 160.41723933713482 × 0.9144 = 146.68552… m
    expect(t1?.wayside?.commandedAuthorityM).toBeCloseTo(146.685524, 6);
    // "commanded speed" 15.65858 mph (no suffix: mph per the README) = 7.00001 m/s
    expect(t1?.wayside?.commandedSpeedMps).toBeCloseTo(7.0000116, 6);
    // temperature_F 70 → (70 − 32) × 5/9 = 21.111… °C
    expect(t1?.model?.temperatureC).toBeCloseTo(21.1111111, 6);
    expect(t1?.controller?.temperatureSetpointC).toBeCloseTo(21.1111111, 6);
    expect(t1?.wayside?.currentStation).toBe('Glenbury');
    expect(t1?.wayside?.nextStation).toBe('Dormont');
    // door_side "" = unset → null
    expect(t1?.wayside?.stationSide).toBeNull();
    expect(t1?.controller?.powerCommandW).toBe(0);
    // train_2: 21.891867349090656 mph = 9.78654 m/s; 1616.03312195187 yd = 1477.70069 m
    expect(document.trains.train_2?.model?.speedMps).toBeCloseTo(9.786540, 6);
    expect(document.trains.train_2?.model?.distanceM).toBeCloseTo(1477.700687, 6);
  });

  it('omits model and wayside by default (no block in the file) and reports every value it would have held', () => {
    const { document, report } = importLegacyTrainData(text, { now: NOW });
    expect(document.trains.train_1?.model).toBeUndefined();
    expect(document.trains.train_1?.wayside).toBeUndefined();
    const t1 = train(report, 'train_1');
    const velocity = droppedFrom(t1, 'outputs.velocity_mph')[0];
    expect(velocity?.reason).toMatch(/section model omitted: required block/);
    expect(velocity?.reason).toContain('model.speedMps = 3.942');
    expect(t1.warnings.some((w) => w.startsWith('section model omitted'))).toBe(true);
    expect(t1.guessed.some((g) => g.what.startsWith('model.'))).toBe(false);
  });

  it('converts the vehicle specs: lengths ft→m, mass lb→kg, negative brake rates to positive m/s²', () => {
    const { document, report } = importLegacyTrainData(text, { now: NOW });
    const s = document.trains.train_3?.specs;
    expect(s?.lengthM).toBeCloseTo(66 * 0.3048, 12); // 20.1168 m
    expect(s?.emptyMassKg).toBeCloseTo(90100 * 0.45359237, 9); // 40 868.67 kg
    expect(s?.maxAccelerationMps2).toBeCloseTo(0.499872, 12); // 1.64 ft/s²
    expect(s?.serviceBrakeMps2).toBeCloseTo(1.200912, 12); // −3.94 ft/s² stored negative
    expect(s?.emergencyBrakeMps2).toBeCloseTo(2.700528, 12); // −8.86 ft/s²
    expect(s?.capacityPassengers).toBe(222);
    expect(s?.crewCount).toBe(2);
    const brake = convertedTo(train(report, 'train_3'), 'specs.serviceBrakeMps2');
    expect(brake).toMatchObject({ from: 'specs.service_brake_ftps2', fromUnit: 'ft/s²', before: -3.94 });
    expect(brake?.note).toMatch(/stored negative/);
  });

  it('drops 169 hp (= 126 023 W, above the 120 kW schema limit) and fills 120 kW from the Flexity 2, both reported', () => {
    const { document, report } = importLegacyTrainData(text, { now: NOW });
    expect(document.trains.train_1?.specs.maxPowerW).toBe(120_000);
    const t1 = train(report, 'train_1');
    const hp = droppedFrom(t1, 'specs.max_power_hp')[0];
    expect(hp?.reason).toMatch(/126023\.27\d* W, which is above the schema maximum 120000/);
    expect(t1.guessed.find((g) => g.what === 'specs.maxPowerW')?.value).toBe(120_000);
    // The file has no maximum speed: 70 km/h from the datasheet, reported.
    expect(t1.guessed.find((g) => g.what === 'specs.maxSpeedMps')?.value).toBeCloseTo(70 / 3.6, 12);
  });

  it('reports the leftover root specs/inputs/outputs and why they are not used', () => {
    const { report } = importLegacyTrainData(text, { now: NOW });
    const from = report.file.dropped.map((d) => d.from).sort();
    expect(from).toEqual(['inputs', 'outputs', 'specs']);
    expect(report.file.dropped.find((d) => d.from === 'specs')?.reason).toMatch(/every train has its own specs/);
  });

  it('warns about the two trains moving with power_command 0', () => {
    const { report } = importLegacyTrainData(text, { now: NOW });
    expect(train(report, 'train_1').warnings.join('\n')).toMatch(/moving at 3\.942 m\/s with power command 0 W/);
    expect(train(report, 'train_2').warnings.join('\n')).toMatch(/moving at 9\.787 m\/s with power command 0 W/);
    expect(train(report, 'train_3').warnings.join('\n')).not.toMatch(/moving/);
    expect(report.warnings).toContain('2 trains are moving with power command 0 W (see the train warnings).');
  });

  it('reports conflicting duplicates: a key naming its unit beats an unsuffixed one, else the first in the file', () => {
    const { document, report } = importLegacyTrainData(text, { now: NOW, unknownBlock: 'null' });
    const t2 = train(report, 'train_2');
    // inputs "commanded authority" 0 vs outputs authority_yds 138.836…: the suffixed key wins.
    expect(document.trains.train_2?.wayside?.commandedAuthorityM).toBeCloseTo(138.83618375567448 * YD, 9);
    expect(droppedFrom(t2, 'inputs.commanded authority')[0]?.reason).toMatch(/conflicts with outputs\.authority_yds .*its key names its unit/);
    // inputs "commanded speed" 0 vs outputs commanded_speed 43.5 (both unsuffixed): first in the file.
    expect(document.trains.train_2?.wayside?.commandedSpeedMps).toBe(0);
    expect(droppedFrom(t2, 'outputs.commanded_speed')[0]?.reason).toMatch(/conflicts with inputs\.commanded speed = 0.*first in the file/);
    // inputs "current station" "" vs outputs station_name "Glenbury": a value beats unset.
    expect(document.trains.train_2?.wayside?.currentStation).toBe('Glenbury');
  });

  it('records every assumed unit as a guess', () => {
    const { report } = importLegacyTrainData(text, { now: NOW });
    const guesses = train(report, 'train_1').guessed.filter((g) => g.what.startsWith('unit of '));
    expect(guesses.map((g) => [g.what, g.value])).toEqual(
      expect.arrayContaining([
        ['unit of inputs.commanded speed', 'mph'],
        ['unit of inputs.set_temperature', '°F'],
        ['unit of inputs.power_command', 'W'],
      ]),
    );
  });
});

describe('legacy-train-states.json (train controller file)', () => {
  const text = read('legacy-train-states.json');

  it('keeps kp/ki null, reads manual_mode false as auto, and warns that null gains command zero power', () => {
    const { document, report } = importLegacyTrainData(text, { now: NOW });
    const c = document.trains.train_1?.controller;
    expect(c).toMatchObject({ kp: null, ki: null, mode: 'auto', powerCommandW: 0, serviceBrake: false, emergencyBrake: false });
    // driver_velocity 15.65858 mph = 7.00001 m/s
    expect(c?.driverSpeedMps).toBeCloseTo(15.65858 * MPH, 12);
    expect(train(report, 'train_1').warnings.join('\n')).toMatch(/kp\/ki are null .* "no gains"/);
  });

  it('converts train_velocity (no suffix, mph) and commanded authority (yards) when sections are kept', () => {
    const { document } = importLegacyTrainData(text, { now: NOW, unknownBlock: 'null' });
    expect(document.trains.train_1?.wayside?.commandedAuthorityM).toBeCloseTo(146.685524, 6);
    expect(document.trains.train_1?.wayside?.nextStation).toBe('Dormont');
    // The controller file lacks acceleration, distance and doors: model stays omitted even then.
    expect(document.trains.train_1?.model).toBeUndefined();
  });

  it('drops the legacy UI keys with a reason each', () => {
    const { report } = importLegacyTrainData(text, { now: NOW });
    const t1 = train(report, 'train_1');
    for (const key of ['outputs.announcement', 'outputs.temperature_up', 'inputs.train_controller_brake_failure', 'inputs.beacon_read_blocked']) {
      expect(droppedFrom(t1, key)[0]?.reason, key).toBeTruthy();
    }
  });

  it('warns about trains 1 and 2 moving with power_command 0', () => {
    const { report } = importLegacyTrainData(text, { now: NOW });
    expect(report.trains.filter((t) => t.warnings.some((w) => w.includes('with power command 0 W'))).map((t) => t.trainId)).toEqual(['train_1', 'train_2']);
  });
});

describe('legacy-wayside-to-train.json ("Train N", Title Case keys)', () => {
  const text = read('legacy-wayside-to-train.json');

  it('turns "Train 1" into train_1 and reports the renaming', () => {
    const { document, report } = importLegacyTrainData(text, { now: NOW });
    expect(Object.keys(document.trains)).toEqual(['train_1', 'train_2', 'train_3', 'train_4', 'train_5']);
    expect(train(report, 'train_1').legacyKey).toBe('Train 1');
    expect(train(report, 'train_1').guessed).toContainEqual(expect.objectContaining({ what: 'train id', value: 'train_1' }));
  });

  it('reads 30 mph and 100 yd as 13.4112 m/s and 91.44 m, and drops them with the reason the wayside section needs', () => {
    const { document, report } = importLegacyTrainData(text, { now: NOW });
    // No speed limit in this file: wayside cannot be completed, even with a block.
    expect(document.trains.train_1?.wayside).toBeUndefined();
    const t1 = train(report, 'train_1');
    expect(droppedFrom(t1, 'Commanded Speed')[0]?.reason).toMatch(/required speedLimitMps, block .*wayside\.commandedSpeedMps = 13\.4112 m\/s/);
    expect(droppedFrom(t1, 'Commanded Authority')[0]?.reason).toMatch(/wayside\.commandedAuthorityM = 91\.44 m/);
    expect(droppedFrom(t1, 'Beacon.Current Station')[0]?.reason).toMatch(/"Station A"/);
    expect(t1.guessed).toContainEqual(expect.objectContaining({ what: 'unit of Commanded Authority', value: 'yd' }));
  });

  it('gives the trains Flexity 2 specs and says so', () => {
    const { document, report } = importLegacyTrainData(text, { now: NOW, line: 'Red' });
    expect(document.trains.train_4?.specs.emptyMassKg).toBe(40_900);
    expect(document.trains.train_4?.line).toBe('Red');
    const g = train(report, 'train_4').guessed.find((x) => x.what === 'specs.emptyMassKg');
    expect(g?.reason).toMatch(/no specs for this train.*Flexity 2/);
    expect(train(report, 'train_4').guessed.some((x) => x.what === 'line')).toBe(false);
  });
});

describe('edge-empty-object.json ({} after a write race)', () => {
  it('imports as zero trains with a warning', () => {
    const { document, report } = importLegacyTrainData(read('edge-empty-object.json'), { now: NOW });
    expect(document.trains).toEqual({});
    expect(report.trains).toEqual([]);
    expect(report.warnings[0]).toMatch(/empty object \{\}.*zero trains/);
  });
});
