import { FLEXITY2_SPECS, type Wayside } from '@rail/schema';
import { loadBuiltinLine } from '@rail/track';
import { describe, expect, it } from 'vitest';
import { computeWaysideCommands, type WaysideTrainInput } from '../src/index.js';

const green = loadBuiltinLine('Green').route;
const blue = loadBuiltinLine('Blue').route;
const specs = FLEXITY2_SPECS;
const kmh = (v: number) => v / 3.6;

/** A train on the Green route at step `routeIndex` (step 0 = block 63, 1 = 64, 2 = 65 Glenbury…). */
function at(id: string, routeIndex: number, positionInBlockM: number, extra: Partial<NonNullable<WaysideTrainInput['model']>> = {}, previous?: Wayside): WaysideTrainInput {
  const distanceM = green.steps[routeIndex]!.startM + positionInBlockM;
  return {
    id,
    specs,
    model: { routeIndex, positionInBlockM, distanceM, speedMps: 10, simTimeS: 100, block: green.steps[routeIndex]!.block, ...extra },
    previous,
  };
}

describe('occupancy', () => {
  it('covers the blocks under the whole 32.2 m train, front to rear', () => {
    // Front 20 m into 64: the rear is 12.2 m back into 63.
    expect(computeWaysideCommands({ route: green, trains: [at('T1', 1, 20)] }).occupancy).toEqual({ 63: ['T1'], 64: ['T1'] });
    expect(computeWaysideCommands({ route: green, trains: [at('T1', 1, 40)] }).occupancy).toEqual({ 64: ['T1'] });
  });

  it('does not count a train that is still in the yard', () => {
    const yard: WaysideTrainInput = { id: 'T9', specs };
    expect(computeWaysideCommands({ route: green, trains: [yard] }).occupancy).toEqual({});
  });

  it('wraps the rear of a train that has done a lap back onto the last blocks of the loop', () => {
    const lap = green.steps.at(-1)!.startM + green.steps.at(-1)!.lengthM;
    const train = at('T1', 0, 10, { distanceM: lap + 10 });
    // Front 10 m into 63 after a lap: the rear (22.2 m back) is in 62, the loop's last block.
    expect(computeWaysideCommands({ route: green, trains: [train] }).occupancy).toEqual({ 62: ['T1'], 63: ['T1'] });
  });
});

describe('commanded authority', () => {
  it('runs from the yard to the middle of the first station block: 63 (100 m) + 64 (100 m) + half of 65 (200 m) = 300 m', () => {
    const { commands } = computeWaysideCommands({ route: green, trains: [{ id: 'T1', specs }] });
    expect(commands.T1).toMatchObject({
      commandedAuthorityM: 300,
      block: null,
      nextStation: 'GLENBURY',
      stationSide: 'right',
      nextStopRouteIndex: 2,
      authorityBasisDistanceM: 0,
      dwellUntilS: null,
    });
  });

  it('ends at the last free block before the next occupied one when that is nearer than the station', () => {
    // Leader 150 m into 65 (occupies only 65); follower 10 m into 63: free until 65's entry = 200 − 10.
    const { commands } = computeWaysideCommands({ route: green, trains: [at('A', 2, 150), at('B', 0, 10)] });
    expect(commands.B!.commandedAuthorityM).toBe(190);
    expect(commands.B!.authorityBasisDistanceM).toBe(10);
  });

  it('is 0 for a train whose own block holds the rear of the train ahead', () => {
    // Leader 20 m into 64, rear 12.2 m back in 63; follower 5 m into 63.
    const { commands } = computeWaysideCommands({ route: green, trains: [at('A', 1, 20), at('B', 0, 5)] });
    expect(commands.B!.commandedAuthorityM).toBe(0);
    expect(commands.B!.commandedSpeedMps).toBe(0);
    expect(commands.A!.commandedAuthorityM).toBe(80 + 100); // rest of 64, then to the middle of 65
  });

  it('keeps a train in the yard while the first block is occupied', () => {
    const { commands } = computeWaysideCommands({ route: green, trains: [at('A', 0, 50), { id: 'B', specs }] });
    expect(commands.B!.commandedAuthorityM).toBe(0);
  });

  it('lets exactly one of two trains at the same spot go (lower id first)', () => {
    const { commands } = computeWaysideCommands({ route: green, trains: [at('T2', 0, 0, { speedMps: 0 }), at('T1', 0, 0, { speedMps: 0 })] });
    expect(commands.T1!.commandedAuthorityM).toBe(300);
    expect(commands.T2!.commandedAuthorityM).toBe(0);
  });

  it('stops an open route at its end: Blue after Station B has 25 m left to the end of block 10', () => {
    const dwellDone: Wayside = { commandedSpeedMps: 0, commandedAuthorityM: 0, speedLimitMps: kmh(50), block: 10, routeIndex: 9, nextStopRouteIndex: 9, dwellUntilS: 120 };
    const train: WaysideTrainInput = {
      id: 'T1',
      specs,
      model: { routeIndex: 9, positionInBlockM: 25, distanceM: 475, speedMps: 0, simTimeS: 120, block: 10 },
      previous: dwellDone,
    };
    const { commands } = computeWaysideCommands({ route: blue, trains: [train] });
    expect(commands.T1).toMatchObject({ commandedAuthorityM: 25, nextStopRouteIndex: null, nextStation: null, dwellUntilS: null });
  });
});

describe('commanded speed', () => {
  it('is the block limit far from anything: 40 km/h on block 67', () => {
    // Step 4 = block 67 (40 km/h); the next stop (Dormont, 73) is over 500 m away.
    const { commands } = computeWaysideCommands({ route: green, trains: [at('T1', 4, 0, {}, { commandedSpeedMps: 0, commandedAuthorityM: 0, speedLimitMps: 0, block: 67, routeIndex: 4, nextStopRouteIndex: 10, dwellUntilS: null })] });
    expect(commands.T1!.commandedSpeedMps).toBeCloseTo(kmh(40), 9);
    expect(commands.T1!.speedLimitMps).toBeCloseTo(kmh(40), 9);
  });

  it('slows ahead of a lower limit, to 0.5 m/s under it at the boundary: at the entry of 66 (70 km/h), 200 m before 67 (40 km/h): √((40/3.6 − 0.5)² + 2·0.6·200)', () => {
    const previous: Wayside = { commandedSpeedMps: 0, commandedAuthorityM: 0, speedLimitMps: 0, block: 66, routeIndex: 3, nextStopRouteIndex: 10, dwellUntilS: null };
    const { commands } = computeWaysideCommands({ route: green, trains: [at('T1', 3, 0, {}, previous)] });
    expect(commands.T1!.commandedSpeedMps).toBeCloseTo(Math.sqrt((kmh(40) - 0.5) ** 2 + 2 * 0.6 * 200), 9);
  });

  it('keeps full speed across a boundary where the limit does not drop (no margin to meet there)', () => {
    // 95 m into 68 (40 km/h), 5 m before 69 (also 40 km/h), 455 m before the Dormont stop point.
    const previous: Wayside = { commandedSpeedMps: 0, commandedAuthorityM: 0, speedLimitMps: 0, block: 68, routeIndex: 5, nextStopRouteIndex: 10, dwellUntilS: null };
    const { commands } = computeWaysideCommands({ route: green, trains: [at('T1', 5, 95, {}, previous)] });
    expect(commands.T1!.commandedAuthorityM).toBe(455);
    expect(commands.T1!.commandedSpeedMps).toBe(kmh(40));
  });

  it('slows when an occupied block is within braking range: √(2·0.6·190)', () => {
    const { commands } = computeWaysideCommands({ route: green, trains: [at('A', 2, 150), at('B', 0, 10)] });
    expect(commands.B!.commandedSpeedMps).toBeCloseTo(Math.sqrt(2 * 0.6 * 190), 9);
  });

  it('never exceeds the vehicle maximum speed', () => {
    const slow: WaysideTrainInput = { ...at('T1', 0, 0), specs: { ...specs, maxSpeedMps: 8 } };
    expect(computeWaysideCommands({ route: green, trains: [slow] }).commands.T1!.commandedSpeedMps).toBe(8);
  });
});

describe('station stops', () => {
  const approaching: Wayside = { commandedSpeedMps: 5, commandedAuthorityM: 300, speedLimitMps: kmh(70), block: 65, routeIndex: 2, nextStopRouteIndex: 2, dwellUntilS: null, authorityBasisDistanceM: 0 };

  it('starts a 20 s dwell when the train is stopped within 5 m of the middle of the station block', () => {
    const { commands } = computeWaysideCommands({ route: green, trains: [at('T1', 2, 103, { speedMps: 0, simTimeS: 50 }, approaching)] });
    expect(commands.T1).toMatchObject({
      dwellUntilS: 70,
      commandedAuthorityM: 0,
      commandedSpeedMps: 0,
      currentStation: 'GLENBURY',
      stationSide: 'right',
      nextStopRouteIndex: 2,
    });
  });

  it('keeps the authority already granted when a dwell starts short of the stop point (never takes it back)', () => {
    // Granted up to the stop point (0 + 300 m = middle of Glenbury); the train stopped 1.5 m short of it.
    const { commands } = computeWaysideCommands({ route: green, trains: [at('T1', 2, 98.5, { speedMps: 0, simTimeS: 50 }, approaching)] });
    expect(commands.T1!.dwellUntilS).toBe(70);
    expect(commands.T1!.commandedAuthorityM).toBeCloseTo(1.5, 9);
    expect(commands.T1!.authorityBasisDistanceM).toBe(298.5);
  });

  it('does not start a dwell while the train still moves or is 6 m off the stop point', () => {
    const moving = computeWaysideCommands({ route: green, trains: [at('T1', 2, 100, { speedMps: 0.2, simTimeS: 50 }, approaching)] });
    expect(moving.commands.T1!.dwellUntilS).toBeNull();
    const short = computeWaysideCommands({ route: green, trains: [at('T1', 2, 94, { speedMps: 0, simTimeS: 50 }, approaching)] });
    expect(short.commands.T1!.dwellUntilS).toBeNull();
    expect(short.commands.T1!.commandedAuthorityM).toBe(6);
  });

  it('holds authority 0 until simTimeS reaches dwellUntilS, then issues authority to the next station', () => {
    const dwelling: Wayside = { ...approaching, dwellUntilS: 70, commandedAuthorityM: 0 };
    const during = computeWaysideCommands({ route: green, trains: [at('T1', 2, 100, { speedMps: 0, simTimeS: 69.5 }, dwelling)] });
    expect(during.commands.T1).toMatchObject({ dwellUntilS: 70, commandedAuthorityM: 0 });
    const after = computeWaysideCommands({ route: green, trains: [at('T1', 2, 100, { speedMps: 0, simTimeS: 70 }, dwelling)] });
    // Rest of 65 (100 m) + 66 (200 m) + 67…72 (6 × 100 m) + half of 73 (50 m) = 950 m to Dormont.
    expect(after.commands.T1).toMatchObject({ dwellUntilS: null, nextStopRouteIndex: 10, nextStation: 'DORMONT', commandedAuthorityM: 950 });
  });

  it('reports a stop passed by more than 5 m and moves on to the next station', () => {
    const { commands, notes } = computeWaysideCommands({ route: green, trains: [at('T1', 2, 120, { speedMps: 3 }, approaching)] });
    expect(commands.T1!.nextStopRouteIndex).toBe(10);
    expect(notes).toEqual([expect.objectContaining({ trainId: 'T1', code: 'MISSED_STOP' })]);
    expect(notes[0]!.message).toContain('GLENBURY');
  });

  it('wraps to the first station of the loop after the last one', () => {
    // The last station step of the Green loop is Overbrook (57); the next is Glenbury (65) at step 2.
    const last = green.steps.findLastIndex((s) => s.station !== null);
    expect(green.steps[last]!.block).toBe(57);
    const dwelling: Wayside = { ...approaching, block: 57, routeIndex: last, nextStopRouteIndex: last, dwellUntilS: 10 };
    const { commands } = computeWaysideCommands({ route: green, trains: [at('T1', last, 25, { speedMps: 0, simTimeS: 10 }, dwelling)] });
    expect(commands.T1!.nextStopRouteIndex).toBe(2);
    // Rest of 57 (25 m) + 58…62 (5 × 50 m) + 63, 64 (2 × 100 m) + half of 65 (100 m) = 575 m.
    expect(commands.T1!.commandedAuthorityM).toBe(575);
  });
});

describe('bad input', () => {
  it('commands a stop for a train without a route position and says why', () => {
    const lost: WaysideTrainInput = { id: 'T1', specs, model: { positionInBlockM: 3, distanceM: 40, speedMps: 2, simTimeS: 5, block: 64 } };
    const { commands, notes } = computeWaysideCommands({ route: green, trains: [lost] });
    expect(commands.T1).toMatchObject({ commandedSpeedMps: 0, commandedAuthorityM: 0, block: 64 });
    expect(notes[0]).toMatchObject({ trainId: 'T1', code: 'NO_POSITION' });
    expect(notes[0]!.message).toContain('routeIndex is missing');
  });
});
