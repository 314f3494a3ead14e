import { describe, expect, it } from 'vitest';
import { initialTrainState } from '../src/index.js';
import { EMPTY_MASS_WITH_CREW_KG, inputs, KMH, last, simulate, SPECS, straightTrack } from './helpers.js';

const FULL_POWER = inputs({ powerCommandW: 120_000 });

describe('traction from rest', () => {
  it('accelerates at exactly 0.5 m/s² while the acceleration limit binds, and never more', () => {
    const states = simulate(initialTrainState(), FULL_POWER, 60, 0.5, straightTrack(0));
    // 2 s of 0.5 m/s² from rest: 1 m/s; the power limit (120 kW / v = m·0.5 + resistance) starts near 5.6 m/s.
    expect(states[4]?.speedMps).toBeCloseTo(1.0, 9);
    expect(states[4]?.distanceM).toBeCloseTo(0.5 * 0.5 * 2 * 2, 6);
    for (let i = 1; i < states.length; i++) {
      const dv = (states[i]?.speedMps ?? 0) - (states[i - 1]?.speedMps ?? 0);
      expect(dv / 0.5).toBeLessThanOrEqual(0.5 + 1e-9);
    }
  });

  it('never exceeds 0.5 m/s² on a 5 % downgrade either', () => {
    const states = simulate(initialTrainState(), FULL_POWER, 30, 0.5, straightTrack(-5));
    for (let i = 1; i < states.length; i++) {
      const dv = (states[i]?.speedMps ?? 0) - (states[i - 1]?.speedMps ?? 0);
      expect(dv / 0.5).toBeLessThanOrEqual(0.5 + 1e-9);
    }
  });

  it('starts moving from rest with a small power command (the F = P/v floor of 1 m/s, not a division by 0)', () => {
    const [, after] = simulate(initialTrainState(), inputs({ powerCommandW: 5_000 }), 0.5, 0.5, straightTrack(0));
    // F = 5000 W / 1 m/s = 5000 N; a = (5000 − c_rr·m·g once moving) / m ≈ 5000/41040 − 0.0196.
    expect(after?.speedMps).toBeGreaterThan(0.5 * (5000 / EMPTY_MASS_WITH_CREW_KG - 0.02));
    expect(after?.speedMps).toBeLessThanOrEqual(0.5 * (5000 / EMPTY_MASS_WITH_CREW_KG));
  });

  it('does not move without power, and never goes backwards on an upgrade', () => {
    const states = simulate(initialTrainState(), inputs(), 20, 0.5, straightTrack(5));
    expect(last(states).speedMps).toBe(0);
    expect(last(states).distanceM).toBe(0);
  });
});

describe('top speed on level track', () => {
  // Resistance R(v) = c_rr·m·g + ½·ρ·Cd·A·v² with c_rr 0.002, g 9.80665, ρ 1.225, Cd 0.8, A 2.65 × 3.42.
  const m = EMPTY_MASS_WITH_CREW_KG;
  const resistanceN = (v: number) => 0.002 * m * 9.80665 + 0.5 * 1.225 * 0.8 * 2.65 * 3.42 * v * v;

  it('is about 28.0 m/s (101 km/h) where 120 kW / v equals the resistance, when the speed cap is lifted', () => {
    // By hand: R(28) = 804.9 + 4.441·784 = 4286.6 N, P/28 = 4285.7 N, so v_top ≈ 28.0 m/s.
    const states = simulate(initialTrainState(), inputs({ specs: { ...SPECS, maxSpeedMps: 60 }, powerCommandW: 120_000 }), 2500, 0.5, straightTrack(0));
    const v = last(states).speedMps;
    expect(v).toBeCloseTo(28.0, 1);
    expect(Math.abs(120_000 / v - resistanceN(v)) / resistanceN(v)).toBeLessThan(0.005);
  });

  it('is the vehicle limit 70 km/h with the Flexity 2 specs: that limit binds, the power could do 101 km/h', () => {
    const states = simulate(initialTrainState(), inputs({ powerCommandW: 120_000 }), 400, 0.5, straightTrack(0));
    expect(last(states).speedMps).toBeCloseTo(70 * KMH, 6);
    expect(Math.max(...states.map((s) => s.speedMps))).toBeLessThanOrEqual(70 * KMH + 1e-9);
    // At 70 km/h the motor could still overcome the resistance: P/v > R(v).
    expect(120_000 / (70 * KMH)).toBeGreaterThan(resistanceN(70 * KMH));
  });

  it('delivers exactly 120 kW at the wheel in the power-limited range (m·a·v + R(v)·v = P)', () => {
    const states = simulate(initialTrainState(), inputs({ powerCommandW: 120_000 }), 40, 0.5, straightTrack(0));
    const s = last(states);
    const wheelPowerW = m * s.accelerationMps2 * s.speedMps + resistanceN(s.speedMps) * s.speedMps;
    expect(wheelPowerW).toBeGreaterThan(120_000 * 0.99);
    expect(wheelPowerW).toBeLessThan(120_000 * 1.01);
  });

  it('never gains more kinetic energy than the motor put in', () => {
    const states = simulate(initialTrainState(), inputs({ powerCommandW: 120_000 }), 120, 0.5, straightTrack(0));
    const v = last(states).speedMps;
    expect(0.5 * m * v * v).toBeLessThan(120_000 * 120);
  });
});

describe('grade', () => {
  it('a 5 % upgrade slows a train at 15 m/s by g·sin θ + c_rr·g·cos θ + drag/m when it coasts', () => {
    const start = { ...initialTrainState(), speedMps: 15 };
    const [, after] = simulate(start, inputs(), 0.01, 0.01, straightTrack(5));
    const theta = Math.atan(0.05);
    const expected = 9.80665 * Math.sin(theta) + 0.002 * 9.80665 * Math.cos(theta) + (0.5 * 1.225 * 0.8 * 2.65 * 3.42 * 225) / EMPTY_MASS_WITH_CREW_KG;
    expect(after?.accelerationMps2).toBeCloseTo(-expected, 3);
  });

  it('at full power on a 5 % upgrade the train settles near 5.7 m/s instead of reaching 70 km/h', () => {
    // By hand: 120 000 / v = m·g·(sin θ + 0.002·cos θ) + 4.441·v² = 20 902 N + 144 N at v ≈ 5.70 m/s.
    const states = simulate({ ...initialTrainState(), speedMps: 15 }, inputs({ powerCommandW: 120_000 }), 300, 0.5, straightTrack(5));
    expect(last(states).speedMps).toBeCloseTo(5.70, 1);
    const level = simulate({ ...initialTrainState(), speedMps: 15 }, inputs({ powerCommandW: 120_000 }), 300, 0.5, straightTrack(0));
    expect(last(level).speedMps).toBeGreaterThan(19);
  });

  it('carries passenger mass: a loaded train accelerates less in the power-limited range', () => {
    const empty = last(simulate(initialTrainState(), inputs({ powerCommandW: 120_000 }), 40, 0.5, straightTrack(0)));
    const loaded = last(simulate({ ...initialTrainState(), passengers: 222 }, inputs({ powerCommandW: 120_000 }), 40, 0.5, straightTrack(0)));
    expect(loaded.speedMps).toBeLessThan(empty.speedMps - 0.5);
  });
});
