import { describe, expect, it } from 'vitest';
import { initialTrainState, type TrainState } from '../src/index.js';
import { inputs, KMH, last, simulate, straightTrack } from './helpers.js';

const V0 = 70 * KMH;
const moving = (): TrainState => ({ ...initialTrainState(), speedMps: V0 });

describe('braking from 70 km/h', () => {
  it('service brake stops in v²/(2·1.2) = 157.5 m', () => {
    const states = simulate(moving(), inputs({ serviceBrake: true }), 30, 0.5, straightTrack(0));
    expect(last(states).speedMps).toBe(0);
    expect(last(states).distanceM).toBeCloseTo(V0 ** 2 / (2 * 1.2), 6);
    expect(V0 ** 2 / (2 * 1.2)).toBeCloseTo(157.5, 1);
  });

  it('emergency brake stops in v²/(2·2.73) = 69.2 m', () => {
    const states = simulate(moving(), inputs({ emergencyBrake: true }), 30, 0.5, straightTrack(0));
    expect(last(states).speedMps).toBe(0);
    expect(last(states).distanceM).toBeCloseTo(V0 ** 2 / (2 * 2.73), 6);
  });

  it('takes v/a seconds to stop with the service brake (16.2 s)', () => {
    const states = simulate(moving(), inputs({ serviceBrake: true }), 30, 0.5, straightTrack(0));
    const firstStopped = states.findIndex((s) => s.speedMps === 0);
    // 19.44 / 1.2 = 16.2 s: stopped at the step ending at 16.5 s, still moving at 16.0 s.
    expect(firstStopped * 0.5).toBe(16.5);
  });

  it('brake wins over a simultaneous power command (no traction while braking)', () => {
    const states = simulate(moving(), inputs({ serviceBrake: true, powerCommandW: 120_000 }), 30, 0.5, straightTrack(0));
    expect(last(states).distanceM).toBeCloseTo(V0 ** 2 / (2 * 1.2), 6);
  });

  it('speed never goes below zero, and a braked train stays at rest', () => {
    const states = simulate(moving(), inputs({ emergencyBrake: true }), 60, 0.5, straightTrack(3));
    expect(Math.min(...states.map((s) => s.speedMps))).toBe(0);
    expect(last(states).speedMps).toBe(0);
  });
});

describe('failures', () => {
  it('brake failure: the service brake command does nothing, the emergency brake still stops the train', () => {
    const brakeFailure = { engine: false, brake: true, signal: false };
    const service = simulate(moving(), inputs({ serviceBrake: true, failures: brakeFailure }), 20, 0.5, straightTrack(0));
    expect(last(service).speedMps).toBeGreaterThan(15);
    expect(last(service).failures.brake).toBe(true);
    const emergency = simulate(moving(), inputs({ emergencyBrake: true, failures: brakeFailure }), 20, 0.5, straightTrack(0));
    expect(last(emergency).speedMps).toBe(0);
    expect(last(emergency).distanceM).toBeCloseTo(V0 ** 2 / (2 * 2.73), 6);
  });

  it('engine failure: full power gives no traction', () => {
    const states = simulate(initialTrainState(), inputs({ powerCommandW: 120_000, failures: { engine: true, brake: false, signal: false } }), 20, 0.5, straightTrack(0));
    expect(last(states).speedMps).toBe(0);
    expect(last(states).failures.engine).toBe(true);
  });

  it('signal failure is mirrored into the state and does not change the physics', () => {
    const withFailure = simulate(initialTrainState(), inputs({ powerCommandW: 60_000, failures: { engine: false, brake: false, signal: true } }), 20, 0.5, straightTrack(0));
    const without = simulate(initialTrainState(), inputs({ powerCommandW: 60_000 }), 20, 0.5, straightTrack(0));
    expect(last(withFailure).failures.signal).toBe(true);
    expect(last(withFailure).speedMps).toBe(last(without).speedMps);
  });

  it('reports the emergency brake as active while it is applied', () => {
    const [, after] = simulate(moving(), inputs({ emergencyBrake: true }), 0.5, 0.5, straightTrack(0));
    expect(after?.emergencyBrakeActive).toBe(true);
  });
});
