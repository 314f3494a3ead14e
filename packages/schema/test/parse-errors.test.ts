import { describe, expect, it } from 'vitest';
import {
  importLegacyTrainData,
  parseTrainData,
  RailSchemaError,
  type RailSchemaErrorCode,
  type TrainData,
} from '../src/index.js';
import { validTrain } from './valid-train.js';

function validDocument(): TrainData {
  return {
    schemaVersion: 1,
    revision: 4,
    updatedAt: '2025-01-01T00:00:00.000Z',
    trains: { T1: validTrain() },
  };
}

/** The document with one value replaced, as text. */
function withChange(change: (doc: Record<string, any>) => void): string {
  const doc = validDocument() as unknown as Record<string, any>;
  change(doc);
  return JSON.stringify(doc, null, 2);
}

function parseError(text: string, code: RailSchemaErrorCode): RailSchemaError {
  const result = parseTrainData(text, { source: 'train_data.json' });
  if (result.ok) throw new Error('expected the parse to fail');
  expect(result.error.code, result.error.message).toBe(code);
  expect(RailSchemaError.isInstance(result.error)).toBe(true);
  expect(result.error.message.startsWith('train_data.json')).toBe(true);
  return result.error;
}

function importError(text: string, code: RailSchemaErrorCode): RailSchemaError {
  try {
    importLegacyTrainData(text, { source: 'old.json' });
  } catch (e) {
    if (!RailSchemaError.isInstance(e)) throw e;
    expect(e.code, e.message).toBe(code);
    expect(e.name).toBe('RailSchemaError');
    return e;
  }
  throw new Error('expected the import to throw');
}

describe('parseTrainData', () => {
  it('returns the typed document for valid text', () => {
    const result = parseTrainData(JSON.stringify(validDocument()));
    expect(result.ok && result.value.trains.T1?.controller?.powerCommandW).toBe(60_000);
  });

  it('truncated JSON: JSON_SYNTAX at the end of the text, with line and column, saying it is truncated', () => {
    // Line 3 is `  "trains": {` (13 characters): the text ends at column 14.
    const e = parseError('{\n  "schemaVersion": 1,\n  "trains": {', 'JSON_SYNTAX');
    expect([e.line, e.column]).toEqual([3, 14]);
    expect(e.message).toMatch(/^train_data\.json:3:14: not valid JSON/);
    expect(e.message).toMatch(/truncated/);
  });

  it('a bad token mid-file: line and column of the token itself', () => {
    // `  "b": x` → the x is on line 3, column 8.
    const e = parseError('{\n  "a": 1,\n  "b": x\n}', 'JSON_SYNTAX');
    expect([e.line, e.column]).toEqual([3, 8]);
    expect(e.message).toMatch(/Fix the text at that position/);
  });

  it('git merge-conflict markers: MERGE_CONFLICT at the marker line', () => {
    const text = '{\r\n<<<<<<< HEAD\r\n  "revision": 3,\r\n=======\r\n  "revision": 4,\r\n>>>>>>> theirs\r\n}';
    const e = parseError(text, 'MERGE_CONFLICT');
    expect([e.line, e.column]).toEqual([2, 1]);
    expect(e.message).toMatch(/merge-conflict marker "<<<<<<<".*Resolve the conflict/);
  });

  it('a zero-byte file: EMPTY_INPUT', () => {
    const e = parseError('', 'EMPTY_INPUT');
    expect(e.message).toMatch(/the file is empty \(0 bytes\).*restore it from its \.backup/);
  });

  it('{}: LEGACY_FORMAT saying it is an empty object and how to recover', () => {
    const e = parseError('{}', 'LEGACY_FORMAT');
    expect(e.message).toMatch(/empty object \{\}/);
    expect(e.message).toMatch(/\.backup|emptyTrainData/);
  });

  it('a legacy team file: LEGACY_FORMAT naming the import command', () => {
    const e = parseError('{"train_1": {"inputs": {"commanded speed": 1}}}', 'LEGACY_FORMAT');
    expect(e.message).toMatch(/rail import train_data\.json/);
  });

  it('an unknown key in a section: the issue names the key and its JSON path', () => {
    const e = parseError(withChange((d) => (d.trains.T1.model.speedMph = 3)), 'SCHEMA_INVALID');
    expect(e.issues).toContainEqual({
      path: '/trains/T1/model/speedMph',
      rule: 'additionalProperties',
      message: expect.stringMatching(/unknown key "speedMph"/),
      found: 3,
    });
    expect(e.message).toContain('/trains/T1/model/speedMph: unknown key "speedMph"');
  });

  it('a negative speed: path, rule minimum and the value found', () => {
    const e = parseError(withChange((d) => (d.trains.T1.model.speedMps = -3)), 'SCHEMA_INVALID');
    expect(e.issues).toEqual([{ path: '/trains/T1/model/speedMps', rule: 'minimum', message: 'must be >= 0, found -3', found: -3 }]);
  });

  it('a power command above 120 kW: path, rule maximum and the value found', () => {
    const e = parseError(withChange((d) => (d.trains.T1.controller.powerCommandW = 130_000)), 'SCHEMA_INVALID');
    expect(e.issues).toEqual([
      { path: '/trains/T1/controller/powerCommandW', rule: 'maximum', message: 'must be <= 120000, found 130000', found: 130_000 },
    ]);
  });

  it('NaN-like strings: rule type, saying a number was expected and the text found', () => {
    const e = parseError(withChange((d) => (d.trains.T1.model.speedMps = 'NaN')), 'SCHEMA_INVALID');
    expect(e.issues).toEqual([{ path: '/trains/T1/model/speedMps', rule: 'type', message: 'must be number, found string "NaN"', found: 'NaN' }]);
  });

  it('a train id that is not of the allowed form: the key, the allowed pattern and a rename hint', () => {
    const e = parseError(
      withChange((d) => {
        d.trains['Train 1'] = d.trains.T1;
        delete d.trains.T1;
      }),
      'SCHEMA_INVALID',
    );
    expect(e.issues).toHaveLength(1);
    expect(e.issues[0]).toMatchObject({ path: '/trains/Train 1', rule: 'pattern', found: 'Train 1' });
    expect(e.issues[0]?.message).toMatch(/key "Train 1" is not an allowed name: it must match .*rename it/);
  });

  it('a document of another schema version: UNSUPPORTED_VERSION', () => {
    const e = parseError(withChange((d) => (d.schemaVersion = 2)), 'UNSUPPORTED_VERSION');
    expect(e.message).toMatch(/schemaVersion 2 is not supported.*Upgrade @rail\/schema/);
  });

  it('a top-level list or number: SCHEMA_INVALID naming what was found', () => {
    expect(parseError('[1,2]', 'SCHEMA_INVALID').issues[0]?.message).toBe('must be object, found array [1,2]');
    expect(parseError('null', 'SCHEMA_INVALID').issues[0]?.message).toBe('must be object, found null');
  });

  it('skips a byte-order mark written by Windows editors', () => {
    expect(parseTrainData(`\uFEFF${JSON.stringify(validDocument())}`).ok).toBe(true);
  });
});

describe('parseTrainData given something that is not text', () => {
  it('answers NOT_TEXT with the fix (read the file as utf8) for a Buffer, undefined or null, never a TypeError', () => {
    for (const [input, got] of [
      [Buffer.from('{}'), 'a Buffer'],
      [undefined, 'undefined'],
      [null, 'null'],
    ] as const) {
      const result = parseTrainData(input as unknown as string, { source: 'train_data.json' });
      expect(result.ok).toBe(false);
      if (result.ok) continue;
      expect(result.error.code).toBe('NOT_TEXT');
      expect(result.error.message).toBe(`train_data.json: expected the file's text (a string), got ${got}; read the file with readFileSync(path, 'utf8').`);
    }
  });
});

describe('importLegacyTrainData on damaged text', () => {
  it('truncated JSON throws JSON_SYNTAX with line and column', () => {
    // Line 2 is `  "train_1": {"inputs": {"commanded speed": 1` (45 characters): ends at column 46.
    const e = importError('{\n  "train_1": {"inputs": {"commanded speed": 1', 'JSON_SYNTAX');
    expect([e.line, e.column]).toEqual([2, 46]);
    expect(e.message).toMatch(/^old\.json:2:46: .*truncated/);
  });

  it('merge-conflict markers throw MERGE_CONFLICT with line and column', () => {
    const e = importError('{\n  "train_1": {},\n=======\n  "train_2": {}\n}', 'MERGE_CONFLICT');
    expect([e.line, e.column]).toEqual([3, 1]);
  });

  it('a zero-byte file throws EMPTY_INPUT', () => {
    importError('', 'EMPTY_INPUT');
  });

  it('a top-level list throws IMPORT_FAILED saying what was expected', () => {
    const e = importError('[{"velocity_mph": 3}]', 'IMPORT_FAILED');
    expect(e.message).toMatch(/top level is a list; a legacy train file is an object with train_N keys/);
  });
});
