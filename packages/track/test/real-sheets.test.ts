import { readFileSync } from 'node:fs';
import { isTrackLayout } from '@rail/schema';
import { describe, expect, it } from 'vitest';
import { parseTrackCsv } from '../src/index.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

describe('the real Green Line sheet', () => {
  const { layout, warnings } = parseTrackCsv(fixture('green-line.csv'), { source: 'green-line.csv' });
  const block = (n: number) => layout.blocks.find((b) => b.number === n)!;

  it('has 150 blocks numbered 1 to 150, all on the Green line, and passes the schema', () => {
    expect(layout.line).toBe('Green');
    expect(layout.blocks.map((b) => b.number)).toEqual(Array.from({ length: 150 }, (_, i) => i + 1));
    expect(isTrackLayout(layout)).toBe(true);
  });

  it('converts the sheet units to SI: 45 km/h is 12.5 m/s, lengths stay metres', () => {
    expect(block(1).speedLimitMps).toBeCloseTo(12.5, 12);
    expect(block(13).speedLimitMps).toBeCloseTo(70 / 3.6, 12);
    expect(block(87).lengthM).toBe(86.6);
    expect(block(91).gradePercent).toBe(-2);
    expect(block(91).elevationM).toBe(-1.5);
    expect(block(91).cumulativeElevationM).toBe(-2.125);
  });

  it('reads every named station with its door side', () => {
    const stations = layout.blocks.filter((b) => b.station).map((b) => [b.number, b.station!.name, b.station!.side]);
    expect(stations).toEqual([
      [2, 'PIONEER', 'left'],
      [9, 'EDGEBROOK', 'left'],
      [16, 'D', 'both'],
      [22, 'WHITED', 'both'],
      [31, 'SOUTH BANK', 'left'],
      [39, 'CENTRAL', 'right'],
      [48, 'INGLEWOOD', 'right'],
      [57, 'OVERBROOK', 'right'],
      [65, 'GLENBURY', 'right'],
      [73, 'DORMONT', 'right'],
      [77, 'MT LEBANON', 'both'],
      [88, 'POPLAR', 'left'],
      [96, 'CASTLE SHANNON', 'left'],
      [105, 'DORMONT', 'right'],
      [114, 'GLENBURY', 'right'],
      [123, 'OVERBROOK', 'right'],
      [132, 'INGLEWOOD', 'left'],
      [141, 'CENTRAL', 'right'],
    ]);
  });

  it('reads switches, the yard, the crossing and the underground blocks (including "UNDERDROUND")', () => {
    expect(block(12).switch).toEqual({ connections: [[12, 13], [1, 13]], raw: 'SWITCH (12-13; 1-13)' });
    expect(block(76).switch!.connections).toEqual([[76, 77], [77, 101]]);
    expect(block(58).switch!.connections).toEqual([[57, 'yard']]);
    expect(block(62).switch!.connections).toEqual([['yard', 63]]);
    expect(layout.yard).toEqual({ toYard: [57], fromYard: [63] });
    expect(layout.blocks.filter((b) => b.crossing).map((b) => b.number)).toEqual([19]);
    expect(block(39).underground).toBe(true);
    expect(block(141).underground).toBe(true);
    expect(block(35).underground).toBe(false);
    expect(layout.blocks.filter((b) => b.underground)).toHaveLength(22 + 22);
  });

  it('records the source line of each block (header is line 1)', () => {
    expect(block(1).sourceLine).toBe(2);
    expect(block(150).sourceLine).toBe(151);
  });

  it('reports the bare STATION, the misspelling and the trailing junk rows as warnings', () => {
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ['UNNAMED_STATION', 17],
      ['SPELLING', 40],
      ['SPELLING', 142],
      ['EMPTY_ROW', 152],
      ['JUNK_ROW', 153],
      ['JUNK_ROW', 154],
    ]);
  });
});

describe('the real Blue Line sheet', () => {
  const { layout, warnings } = parseTrackCsv(fixture('blue-line.csv'), { source: 'blue-line.csv' });

  it('has 15 blocks of 50 m at 50 km/h, with Line carried from the first row', () => {
    expect(layout.line).toBe('Blue');
    expect(layout.blocks.map((b) => b.number)).toEqual(Array.from({ length: 15 }, (_, i) => i + 1));
    expect(layout.blocks.every((b) => b.lengthM === 50 && Math.abs(b.speedLimitMps - 50 / 3.6) < 1e-12)).toBe(true);
    expect(isTrackLayout(layout)).toBe(true);
  });

  it('has stations B and C and the switch at block 5', () => {
    expect(layout.blocks.filter((b) => b.station).map((b) => [b.number, b.station!.name, b.station!.side])).toEqual([
      [10, 'B', null],
      [15, 'C', null],
    ]);
    expect(layout.blocks[4]!.switch).toEqual({ connections: [[5, 6], [5, 11]], raw: 'Switch ( 5 to 6) or (5 to 11)' });
  });

  it('skips the column-number row and says how it placed the yard', () => {
    expect(warnings.map((w) => [w.code, w.line])).toEqual([
      ['JUNK_ROW', 17],
      ['YARD_INFERRED', 18],
    ]);
    expect(layout.yard).toEqual({ toYard: [1], fromYard: [1] });
    expect(layout.blocks.map((b) => b.elevationM)).toEqual(Array(15).fill(null));
  });
});
