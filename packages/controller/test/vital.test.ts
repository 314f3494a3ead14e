import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { combineVital, vitalByDistance, vitalBySpeed, type VitalChannel, type VitalInputs } from '../src/index.js';

const base: VitalInputs = {
  speedMps: 10,
  authorityM: 1_000,
  speedLimitMps: 19.44,
  serviceBrakeMps2: 1.2,
  reactionTimeS: 1,
  marginM: 1,
  signalFailure: false,
  operatorEmergencyBrake: false,
};

describe('vital checks (both channels)', () => {
  for (const [name, channel] of [['A (distances)', vitalByDistance], ['B (speeds and times)', vitalBySpeed]] as const) {
    describe(`channel ${name}`, () => {
      it('clears a train well inside its authority and under the limit', () => {
        expect(channel(base)).toMatchObject({ tractionAllowed: true, serviceBrake: false, emergencyBrake: false, reason: 'clear' });
      });
      it('refuses traction and brakes when the authority is within the service-braking distance', () => {
        // 10 m/s: 1 s reaction (10 m) + 10²/2.4 (41.7 m) + 1 m margin = 52.7 m.
        expect(channel({ ...base, authorityM: 52 })).toMatchObject({ tractionAllowed: false, serviceBrake: true, emergencyBrake: false, reason: 'authority-stop' });
        expect(channel({ ...base, authorityM: 53 }).reason).toBe('clear');
      });
      it('applies the emergency brake when even the service brake would overrun', () => {
        // 10²/2.4 = 41.67 m > 41 m.
        expect(channel({ ...base, authorityM: 41 })).toMatchObject({ emergencyBrake: true, serviceBrake: false, reason: 'authority-overrun' });
      });
      it('brakes above the speed limit', () => {
        expect(channel({ ...base, speedMps: 19.5 })).toMatchObject({ serviceBrake: true, reason: 'overspeed' });
      });
      it('applies the emergency brake on signal failure', () => {
        expect(channel({ ...base, signalFailure: true })).toMatchObject({ emergencyBrake: true, reason: 'signal-failure' });
      });
      it('holds with the service brake without any authority', () => {
        expect(channel({ ...base, authorityM: null })).toMatchObject({ serviceBrake: true, reason: 'no-authority' });
      });
    });
  }

  it('the two channels agree on the commands for any speed, authority and limit (10 000 cases)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 30, noNaN: true }),
        fc.double({ min: 0, max: 2_000, noNaN: true }),
        fc.double({ min: 0, max: 25, noNaN: true }),
        (speedMps, authorityM, speedLimitMps) => {
          const inputs = { ...base, speedMps, authorityM, speedLimitMps };
          const a = vitalByDistance(inputs);
          const b = vitalBySpeed(inputs);
          const near = Math.abs(authorityM - (speedMps * 1 + speedMps ** 2 / 2.4 + 1)) < 1e-6;
          if (!near) expect([b.tractionAllowed, b.serviceBrake, b.emergencyBrake]).toEqual([a.tractionAllowed, a.serviceBrake, a.emergencyBrake]);
        },
      ),
      { numRuns: 10_000, seed: 1140 },
    );
  });

  it('on disagreement takes the safe side: no traction, brake, and says so', () => {
    const faulty: VitalChannel = () => ({ tractionAllowed: true, serviceBrake: false, emergencyBrake: false, reason: 'clear' });
    const result = combineVital({ ...base, authorityM: 41 }, [faulty, vitalBySpeed]);
    expect(result).toMatchObject({ disagree: true, tractionAllowed: false, emergencyBrake: true });
    const mild = combineVital({ ...base, authorityM: 52 }, [vitalByDistance, faulty]);
    expect(mild).toMatchObject({ disagree: true, tractionAllowed: false, serviceBrake: true, emergencyBrake: false });
  });
});
