import { describe, expect, it } from 'vitest';
import { deriveRoute, loadBuiltinLine, nextRouteIndex, parseTrackCsv, routeLengthM, TrackError, type Route } from '../src/index.js';

/** Blocks a..b inclusive, signed by direction of travel (negative = travelled backwards). */
function run(a: number, b: number): number[] {
  const out: number[] = [];
  if (a <= b) for (let n = a; n <= b; n++) out.push(n);
  else for (let n = a; n >= b; n--) out.push(-n);
  return out;
}
const signed = (route: Route) => route.steps.map((s) => s.block * s.direction);

describe('deriveRoute on the Green Line', () => {
  const { route } = loadBuiltinLine('Green');

  it('follows the course loop from the yard, derived from the switch cells', () => {
    // yard → 63…76 → 77…85 → 86…100 → 85…77 (backwards) → 101…150 → 29…13 (backwards)
    // → 12…1 (backwards) → 13…57 → 58…62 → 63 again
    const expected = [...run(63, 76), ...run(77, 85), ...run(86, 100), ...run(85, 77), ...run(101, 150), ...run(29, 13), ...run(12, 1), ...run(13, 57), ...run(58, 62)];
    expect(signed(route)).toEqual(expected);
    expect(route.loopsTo).toBe(0);
    expect(route.line).toBe('Green');
  });

  it('puts each doubled station name at the two blocks the course lists', () => {
    const blocksOf = (name: string) => [...new Set(route.steps.filter((s) => s.station?.name === name).map((s) => s.block))].sort((a, b) => a - b);
    expect(blocksOf('GLENBURY')).toEqual([65, 114]);
    expect(blocksOf('DORMONT')).toEqual([73, 105]);
    expect(blocksOf('OVERBROOK')).toEqual([57, 123]);
    expect(blocksOf('INGLEWOOD')).toEqual([48, 132]);
    expect(blocksOf('CENTRAL')).toEqual([39, 141]);
  });

  it('accumulates startM from the block lengths and signs the grade for the direction of travel', () => {
    expect(route.steps[0]).toMatchObject({ index: 0, block: 63, startM: 0, lengthM: 100 });
    expect(route.steps[1]!.startM).toBe(100);
    expect(route.steps[2]!.startM).toBe(200); // 63 and 64 are 100 m each
    const nine = route.steps.find((s) => s.block === 9)!;
    expect(nine.direction).toBe(-1);
    expect(nine.gradePercent).toBe(5); // the sheet's −5 % is uphill when travelled towards block 8
    const ninetyOne = route.steps.find((s) => s.block === 91)!;
    expect(ninetyOne.gradePercent).toBe(-2);
    for (const [i, s] of route.steps.entries()) {
      if (i > 0) expect(s.startM).toBeCloseTo(route.steps[i - 1]!.startM + route.steps[i - 1]!.lengthM, 9);
    }
  });

  it('continues at step 0 after the last step', () => {
    expect(nextRouteIndex(route, route.steps.length - 1)).toBe(0);
    expect(nextRouteIndex(route, 3)).toBe(4);
    expect(routeLengthM(route)).toBeCloseTo(route.steps.reduce((sum, s) => sum + s.lengthM, 0), 6);
  });
});

describe('deriveRoute on the Blue Line', () => {
  it('goes yard → 1…5 → 6…10 (Station B) by default and stops there', () => {
    const { route } = loadBuiltinLine('Blue');
    expect(signed(route)).toEqual([...run(1, 5), ...run(6, 10)]);
    expect(route.loopsTo).toBeNull();
    expect(route.steps.at(-1)!.station).toEqual({ name: 'B', side: null });
    expect(nextRouteIndex(route, route.steps.length - 1)).toBeNull();
  });

  it('takes the branch to Station C with { via: [11] }', () => {
    const { route } = loadBuiltinLine('Blue', { via: [11] });
    expect(signed(route)).toEqual([...run(1, 5), ...run(11, 15)]);
    expect(route.steps.at(-1)!.station!.name).toBe('C');
    expect(route.steps.at(-1)!.startM).toBe(450);
  });

  it('refuses a via block no switch leads to', () => {
    const { layout } = loadBuiltinLine('Blue');
    expect(() => deriveRoute(layout, { via: [99] })).toThrow(expect.objectContaining({ code: 'ROUTE_UNRESOLVED' }));
  });
});

describe('deriveRoute errors', () => {
  const header = 'Line,Section,Block Number,Block Length (m),Block Grade (%),Speed Limit (Km/Hr),Infrastructure';

  it('refuses a switch whose leg could join at either end', () => {
    const text = [header, 'Y,A,1,50,0,50,', 'Y,A,2,50,0,50,SWITCH (2-3; 2-6)', 'Y,A,3,50,0,50,', 'Y,A,4,50,0,50,', 'Y,A,5,50,0,50,', 'Y,A,6,50,0,50,', 'Y,A,7,50,0,50,'].join('\n');
    const { layout } = parseTrackCsv(text, { source: 'odd.csv' });
    let caught: unknown;
    try {
      deriveRoute(layout);
    } catch (error) {
      caught = error;
    }
    expect(TrackError.isInstance(caught)).toBe(true);
    expect((caught as TrackError).code).toBe('ROUTE_UNRESOLVED');
    expect((caught as TrackError).message).toContain('odd.csv');
    expect((caught as TrackError).message).toContain('block 6');
  });

  it('refuses a switch naming a block the sheet lacks', () => {
    const text = [header, 'Y,A,1,50,0,50,', 'Y,A,2,50,0,50,SWITCH (2-3; 2-9)', 'Y,A,3,50,0,50,'].join('\n');
    const { layout } = parseTrackCsv(text);
    expect(() => deriveRoute(layout)).toThrow(/names block 9, which is not in the sheet/);
  });
});
