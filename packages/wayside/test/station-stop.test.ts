import { FLEXITY2_SPECS, type Wayside } from '@rail/schema';
import { loadBuiltinLine } from '@rail/track';
import { describe, expect, it } from 'vitest';
import { computeWaysideCommands } from '../src/index.js';
import { modelOf, startTrain, stepTrain } from './kinematic-train.js';

describe('a train driven only by the wayside commands', () => {
  it('stops inside the Glenbury block within 5 m of its middle, dwells 20 s, and leaves for Dormont', () => {
    const { route } = loadBuiltinLine('Green');
    const train = startTrain(route);
    let wayside: Wayside | undefined;
    const stops: { routeIndex: number; positionInBlockM: number; distanceM: number; at: number; until: number }[] = [];
    const dtS = 0.5;
    for (let tick = 0; tick < 600 && stops.length < 2; tick++) {
      const input = { id: 'T1', specs: FLEXITY2_SPECS, model: tick === 0 ? undefined : modelOf(train), previous: wayside };
      wayside = computeWaysideCommands({ route, trains: [input] }).commands.T1!;
      if (wayside.dwellUntilS != null && (stops.length === 0 || stops.at(-1)!.until !== wayside.dwellUntilS)) {
        stops.push({ routeIndex: train.routeIndex, positionInBlockM: train.positionInBlockM, distanceM: train.distanceM, at: train.simTimeS, until: wayside.dwellUntilS });
      }
      stepTrain(train, route, wayside, dtS);
    }
    // First stop: Glenbury, step 2 (block 65, 200 m): stop point 100 + 100 + 100 = 300 m from the yard.
    expect(stops[0]!.routeIndex).toBe(2);
    expect(Math.abs(stops[0]!.positionInBlockM - 100)).toBeLessThanOrEqual(5);
    expect(Math.abs(stops[0]!.distanceM - 300)).toBeLessThanOrEqual(5);
    expect(stops[0]!.until - stops[0]!.at).toBe(20);
    // Second stop: Dormont, step 10 (block 73, 100 m): 300 + 100 + 200 + 6 × 100 + 50 = 1250 m.
    expect(stops[1]!.routeIndex).toBe(10);
    expect(Math.abs(stops[1]!.distanceM - 1250)).toBeLessThanOrEqual(5);
    expect(stops[1]!.at).toBeGreaterThanOrEqual(stops[0]!.until);
    expect(train.overrunM).toBeLessThanOrEqual(0);
  });

  it('keeps a follower out of the leader\'s blocks all the way to the first station', () => {
    const { route } = loadBuiltinLine('Green');
    const a = startTrain(route);
    const b = startTrain(route);
    let wa: Wayside | undefined;
    let wb: Wayside | undefined;
    let shared = 0;
    let held = 0;
    for (let tick = 0; tick < 400; tick++) {
      const out = computeWaysideCommands({
        route,
        trains: [
          { id: 'A', specs: FLEXITY2_SPECS, model: modelOf(a), previous: wa },
          { id: 'B', specs: FLEXITY2_SPECS, model: tick < 20 ? undefined : modelOf(b), previous: wb },
        ],
      });
      wa = out.commands.A!;
      wb = out.commands.B!;
      // Both start in block 63 (the model places a new train there); once B moves, its front must
      // never be in a block A occupies.
      if (b.distanceM > 0 && (out.occupancy[b.block] ?? []).includes('A')) shared++;
      if (tick >= 20 && wb.commandedAuthorityM === 0 && b.distanceM === 0) held++;
      stepTrain(a, route, wa, 0.5);
      if (tick >= 20) stepTrain(b, route, wb, 0.5);
    }
    expect(shared).toBe(0);
    expect(held).toBeGreaterThan(0); // B had to wait in 63 while A's rear was still there
    expect(a.overrunM).toBeLessThanOrEqual(0);
    expect(b.overrunM).toBeLessThanOrEqual(0);
    expect(b.distanceM).toBeGreaterThan(100); // the follower did move
  });
});
