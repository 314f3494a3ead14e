import { describe, expect, it } from 'vitest';
import { initialTrainState, step, TrainModelError, type Route } from '../src/index.js';
import { inputs, last, routeStep, simulate } from './helpers.js';

const threeBlocks = (loopsTo: number | null): Route => ({
  line: 'Test',
  loopsTo,
  steps: [
    routeStep(0, { block: 63, lengthM: 100 }),
    routeStep(1, { block: 64, lengthM: 50, startM: 100 }),
    routeStep(2, { block: 65, lengthM: 80, startM: 150 }),
  ],
});

const cruising = (speedMps: number) => ({ ...initialTrainState(), speedMps });

describe('position along the route', () => {
  it('advances block by block: braking from 20 m/s covers 20²/2.4 = 166.7 m, 16.7 m into the third step', () => {
    const states = simulate(cruising(20), inputs({ serviceBrake: true }), 20, 0.5, threeBlocks(0));
    expect(states.map((s) => s.routeIndex).filter((v, i, all) => all.indexOf(v) === i)).toEqual([0, 1, 2]);
    expect(last(states).routeIndex).toBe(2);
    expect(last(states).positionInBlockM).toBeCloseTo(20 ** 2 / 2.4 - 150, 6);
    expect(last(states).distanceM).toBeCloseTo(20 ** 2 / 2.4, 6);
  });

  it('wraps to step loopsTo after the last step', () => {
    // Service brake from 25 m/s stops after 25²/2.4 = 260.4 m: past the 230 m route, 30.4 m into step 0 again.
    const states = simulate(cruising(25), inputs({ serviceBrake: true }), 30, 0.5, threeBlocks(0));
    expect(last(states).distanceM).toBeCloseTo(25 ** 2 / 2.4, 6);
    expect(last(states).routeIndex).toBe(0);
    expect(last(states).positionInBlockM).toBeCloseTo(25 ** 2 / 2.4 - 230, 6);
  });

  it('holds the train at the end of a route that does not loop', () => {
    const states = simulate(cruising(25), inputs({ serviceBrake: true }), 30, 0.5, threeBlocks(null));
    expect(last(states).routeIndex).toBe(2);
    expect(last(states).positionInBlockM).toBe(80);
    expect(last(states).distanceM).toBeCloseTo(230, 9);
    expect(last(states).speedMps).toBe(0);
  });

  it('rejects a routeIndex outside the route with a typed error', () => {
    const bad = { ...initialTrainState(), routeIndex: 7 };
    try {
      step(bad, inputs(), 0.5, threeBlocks(0));
      expect.unreachable('step accepted routeIndex 7');
    } catch (error) {
      expect(TrainModelError.isInstance(error)).toBe(true);
      expect((error as TrainModelError).code).toBe('INVALID_STATE');
      expect((error as Error).message).toContain('routeIndex 7');
    }
  });

  it('rejects a negative dt', () => {
    expect(() => step(initialTrainState(), inputs(), -1, threeBlocks(0))).toThrow(/dtS must be/);
  });
});

describe('authority', () => {
  it('is consumed as the train moves: 100 m granted at distance 0, 157.5 m of service braking from 70 km/h overruns by 57.5 m', () => {
    const v = 70 / 3.6;
    const states = simulate(
      { ...initialTrainState(), speedMps: v },
      inputs({ serviceBrake: true, authority: { commandedAuthorityM: 100, basisDistanceM: 0 } }),
      20,
      0.5,
      { line: 'Long', loopsTo: 0, steps: [routeStep(0, { lengthM: 10_000 })] },
    );
    expect(last(states).authorityRemainingM).toBe(0);
    expect(last(states).authorityOverrunM).toBeCloseTo(v ** 2 / 2.4 - 100, 6);
  });

  it('reports what is left when the train stops inside it, and no overrun', () => {
    const states = simulate(
      { ...initialTrainState(), speedMps: 12 },
      inputs({ serviceBrake: true, authority: { commandedAuthorityM: 100, basisDistanceM: 0 } }),
      20,
      0.5,
      { line: 'Long', loopsTo: 0, steps: [routeStep(0, { lengthM: 10_000 })] },
    );
    expect(last(states).authorityRemainingM).toBeCloseTo(100 - 144 / 2.4, 6);
    expect(last(states).authorityOverrunM).toBe(0);
  });

  it('measures from the basis distance the wayside used', () => {
    const start = { ...initialTrainState(), distanceM: 500 };
    const s = step(start, inputs({ authority: { commandedAuthorityM: 80, basisDistanceM: 470 } }), 0.5, { line: 'L', loopsTo: 0, steps: [routeStep(0, { lengthM: 10_000 })] });
    expect(s.authorityRemainingM).toBe(50);
  });

  it('stays unknown (null) while no wayside authority was received', () => {
    const s = step(initialTrainState(), inputs(), 0.5, threeBlocks(0));
    expect(s.authorityRemainingM).toBeNull();
  });
});
