import { describe, expect, it } from 'vitest';
import { INITIAL_PI_STATE, piStep, type PiState } from '../src/index.js';

describe('PI law', () => {
  it('integrates trapezoidally: u = T/2·(e_k + e_{k−1}) and P = kp·e + ki·u', () => {
    const first = piStep(INITIAL_PI_STATE, 2, 0.5, 1_000, 100, 120_000);
    // First step: e_{k−1} taken equal to e_k, u = 0.25·(2 + 2) = 1, P = 2000 + 100.
    expect(first.state.integralM).toBeCloseTo(1, 12);
    expect(first.powerW).toBeCloseTo(2_100, 9);
    const second = piStep(first.state, 1, 0.5, 1_000, 100, 120_000);
    expect(second.state.integralM).toBeCloseTo(1 + 0.25 * (1 + 2), 12);
    expect(second.powerW).toBeCloseTo(1_000 + 100 * 1.75, 9);
  });

  it('clamps the output to 0…120 kW', () => {
    expect(piStep(INITIAL_PI_STATE, 10, 0.5, 120_000, 2_000, 120_000).powerW).toBe(120_000);
    expect(piStep(INITIAL_PI_STATE, -3, 0.5, 120_000, 2_000, 120_000).powerW).toBe(0);
  });

  it('anti-windup: 600 saturated steps leave the integral where saturation began, so it leaves the limit at once', () => {
    let s: PiState = piStep(INITIAL_PI_STATE, 5, 0.5, 120_000, 2_000, 120_000).state;
    const atSaturation = s.integralM;
    for (let i = 0; i < 600; i++) s = piStep(s, 5, 0.5, 120_000, 2_000, 120_000).state;
    expect(s.integralM).toBe(atSaturation);
    // Error reverses slightly: without anti-windup u would be about 5 × 300 = 1500 m and P = 3 MW, still clamped.
    const out = piStep(s, -0.1, 0.5, 120_000, 2_000, 120_000);
    expect(out.powerW).toBeLessThan(120_000);
  });

  it('holds the integral at the lower limit too, so a long overspeed does not wind it negative', () => {
    let s: PiState = piStep(INITIAL_PI_STATE, -2, 0.5, 1_000, 100, 120_000).state;
    const atSaturation = s.integralM;
    for (let i = 0; i < 100; i++) s = piStep(s, -2, 0.5, 1_000, 100, 120_000).state;
    expect(s.integralM).toBe(atSaturation);
  });
});
