import { describe, expect, it } from 'vitest';
import { parseTrackCsv, TrackError } from '../src/index.js';

const header = 'Line,Section,Block Number,Block Length (m),Block Grade (%),Speed Limit (Km/Hr),Infrastructure,Station Side';

function parseError(text: string): TrackError {
  try {
    parseTrackCsv(text, { source: 'sheet.csv' });
  } catch (error) {
    if (TrackError.isInstance(error)) return error;
    throw error;
  }
  throw new Error('expected parseTrackCsv to throw');
}

describe('parseTrackCsv on hand-written sheets', () => {
  it('accepts LF endings, loose header names and a title row above the header', () => {
    const text = ['Red line export', 'line , SECTION, block  number ,length(m),GRADE,speed limit ( km/h ),infrastructure', 'Red,A,1,100,2,36,', 'Red,A,2,100,0,72,'].join('\n');
    const { layout, warnings } = parseTrackCsv(text);
    expect(layout.blocks.map((b) => [b.number, b.speedLimitMps, b.gradePercent])).toEqual([
      [1, 10, 2],
      [2, 20, 0],
    ]);
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ['JUNK_ROW', 1],
      ['YARD_INFERRED', null],
    ]);
  });

  it('converts mph and feet to SI', () => {
    const text = 'Line,Section,Block Number,Block Length (ft),Block Grade (%),Speed Limit (mph)\nX,A,1,1000,0,30\n';
    const [block] = parseTrackCsv(text).layout.blocks;
    expect(block.lengthM).toBeCloseTo(304.8, 9);
    expect(block.speedLimitMps).toBeCloseTo(13.4112, 9);
  });

  it('reads the station spellings STATION: X, Station B, STATION;   CASTLE SHANNON and quoted cells', () => {
    const text = [
      header,
      'Y,A,1,50,0,50,STATION: X,Right',
      'Y,A,2,50,0,50,Station B,',
      'Y,A,3,50,0,50,STATION;   CASTLE   SHANNON,Left',
      'Y,A,4,50,0,50,"STATION; FOREST HILLS, NORTH; UNDERGROUND",left/right',
    ].join('\r\n');
    const { layout } = parseTrackCsv(text);
    expect(layout.blocks.map((b) => b.station)).toEqual([
      { name: 'X', side: 'right' },
      { name: 'B', side: null },
      { name: 'CASTLE SHANNON', side: 'left' },
      { name: 'FOREST HILLS, NORTH', side: 'both' },
    ]);
    expect(layout.blocks[3]!.underground).toBe(true);
  });

  it('reads yard switches written both ways round', () => {
    const text = [header, 'Y,A,1,50,0,50,SWITCH FROM YARD (Yard-1),', 'Y,A,2,50,0,50,,', 'Y,A,3,50,0,50,SWITCH TO YARD (2-yard),'].join('\n');
    const { layout, warnings } = parseTrackCsv(text);
    expect(layout.yard).toEqual({ toYard: [2], fromYard: [1] });
    expect(warnings).toEqual([]);
  });

  it('warns about unknown infrastructure and a door side without a station instead of dropping them silently', () => {
    const text = [header, 'Y,A,1,50,0,50,BEACON,', 'Y,A,2,50,0,50,,Left'].join('\n');
    const { warnings } = parseTrackCsv(text);
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ['UNKNOWN_INFRASTRUCTURE', 2],
      ['SIDE_WITHOUT_STATION', 3],
      ['YARD_INFERRED', null],
    ]);
  });

  it('warns when a column without a header holds values', () => {
    const text = ['Line,Section,Block Number,Block Length (m),Block Grade (%),Speed Limit (Km/Hr),', 'Y,A,1,50,0,50,Left'].join('\n');
    const { warnings } = parseTrackCsv(text);
    expect(warnings[0]).toMatchObject({ code: 'UNNAMED_COLUMN', line: 1 });
    expect(warnings[0]!.message).toContain('column 7');
  });
});

describe('parseTrackCsv errors', () => {
  it('says a JSON file is not a track layout', () => {
    const error = parseError('{"schemaVersion": 1, "trains": {}}');
    expect(error.code).toBe('NOT_A_TRACK_LAYOUT');
    expect(error.message).toContain('sheet.csv');
    expect(error.message).toContain('Block Number');
    expect(error.name).toBe('TrackError');
  });

  it('says an empty file is not a track layout', () => {
    expect(parseError('').code).toBe('NOT_A_TRACK_LAYOUT');
  });

  it('says a header without block rows is not a track layout', () => {
    expect(parseError(`${header}\n,,,,\n`).code).toBe('NOT_A_TRACK_LAYOUT');
  });

  it('reports every malformed row with its line number', () => {
    const text = [header, 'Y,A,1,50,0,50,,', 'Y,A,2,fifty,0,50,,', 'Y,A,3,50,0,-5,,', 'Y,A,4,50,0,50,SWITCH (somewhere),', 'Y,A,5,50,0,50,STATION; Z,Up'].join('\n');
    const error = parseError(text);
    expect(error.code).toBe('MALFORMED_ROW');
    expect(error.line).toBe(3);
    expect(error.issues.map((i) => i.line)).toEqual([3, 4, 5, 6]);
    expect(error.message).toContain('line 3: Block Length "fifty" is not a positive number');
    expect(error.message).toContain('line 4: Speed Limit "-5"');
    expect(error.message).toContain('sheet.csv');
  });

  it('rejects a row of another line', () => {
    const error = parseError([header, 'Green,A,1,50,0,50,,', 'Red,A,2,50,0,50,,'].join('\n'));
    expect(error.code).toBe('MALFORMED_ROW');
    expect(error.issues).toEqual([{ line: 3, message: 'Line is "Red" but the sheet is line "Green"; a sheet holds one line' }]);
  });

  it('rejects a repeated block number, naming both lines', () => {
    const error = parseError([header, 'Y,A,1,50,0,50,,', 'Y,A,2,50,0,50,,', 'Y,B,2,50,0,50,,'].join('\n'));
    expect(error.code).toBe('DUPLICATE_BLOCK');
    expect(error.issues).toEqual([{ line: 4, message: 'block 2 appears again (first at line 3)' }]);
  });

  it('asks for a line name when the Line column is empty', () => {
    const text = [header, ',A,1,50,0,50,,'].join('\n');
    expect(parseError(text).message).toContain('pass { line: "Name" }');
    expect(parseTrackCsv(text, { line: 'Yellow' }).layout.line).toBe('Yellow');
  });

  it('rejects values outside the schema with INVALID_LAYOUT', () => {
    const error = parseError([header, 'Y,A,1,50,250,50,,'].join('\n'));
    expect(error.code).toBe('INVALID_LAYOUT');
    expect(error.message).toContain('gradePercent');
  });

  it('is recognised by TrackError.isInstance, and a plain Error is not', () => {
    expect(TrackError.isInstance(parseError(''))).toBe(true);
    expect(TrackError.isInstance(new Error('x'))).toBe(false);
    expect(TrackError.isInstance({ [Symbol.for('@rail/track.error')]: true })).toBe(true);
  });
});
