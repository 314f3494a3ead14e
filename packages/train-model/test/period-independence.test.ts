import { describe, expect, it } from 'vitest';
import { initialTrainState, type TrainModelInputs, type TrainState } from '../src/index.js';
import { inputs, last, routeStep, simulate } from './helpers.js';

const route = {
  line: 'Test',
  loopsTo: 0,
  steps: [
    routeStep(0, { lengthM: 400, gradePercent: 0 }),
    routeStep(1, { lengthM: 300, gradePercent: 3, startM: 400 }),
    routeStep(2, { lengthM: 500, gradePercent: -2, startM: 700 }),
  ],
};

/** Full power for 63 s, coast 21 s, service brake until stopped: commands change only at multiples of 7 s, where every period tested has a step boundary. */
function scenario(s: TrainState): TrainModelInputs {
  const t = s.simTimeS;
  if (t < 63 - 1e-9) return inputs({ powerCommandW: 120_000 });
  if (t < 84 - 1e-9) return inputs();
  return inputs({ serviceBrake: true });
}

describe('results do not depend on the caller period', () => {
  it('dt 0.5 s and dt 0.05 s give the same trajectory within 1e-6 m/s and 1e-4 m', () => {
    const coarse = simulate(initialTrainState(), scenario, 105, 0.5, route);
    const fine = simulate(initialTrainState(), scenario, 105, 0.05, route);
    expect(last(coarse).speedMps).toBe(0);
    for (let i = 0; i < coarse.length; i++) {
      const a = coarse[i] as TrainState;
      const b = fine[i * 10] as TrainState;
      expect(b.simTimeS).toBeCloseTo(a.simTimeS, 9);
      expect(Math.abs(a.speedMps - b.speedMps)).toBeLessThan(1e-6);
      expect(Math.abs(a.distanceM - b.distanceM)).toBeLessThan(1e-4);
      expect(b.routeIndex).toBe(a.routeIndex);
    }
  });

  it('dt 1 s and dt 0.07 s (sub-steps of 0.01 s and 0.00875 s) agree within 0.01 m/s and 0.2 m every 7 s', () => {
    const coarse = simulate(initialTrainState(), scenario, 105, 1, route);
    const odd = simulate(initialTrainState(), scenario, 105, 0.07, route);
    for (let k = 0; k * 7 <= 105; k++) {
      const a = coarse[k * 7] as TrainState;
      const b = odd[k * 100] as TrainState;
      expect(b.simTimeS).toBeCloseTo(a.simTimeS, 6);
      expect(Math.abs(a.speedMps - b.speedMps)).toBeLessThan(0.01);
      expect(Math.abs(a.distanceM - b.distanceM)).toBeLessThan(0.2);
    }
  });
});
