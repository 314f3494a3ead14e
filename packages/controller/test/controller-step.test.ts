import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { controllerStep, DEFAULT_CONTROLLER_CONFIG, INITIAL_CONTROLLER_STATE, ControllerError, resolveGains, type ControllerInputs, type VitalChannel } from '../src/index.js';
import { NO_FAILURES, SPECS } from './closed-loop.js';

const inputs = (overrides: Partial<ControllerInputs> = {}): ControllerInputs => ({
  specs: SPECS,
  speedMps: 5,
  mode: 'auto',
  driverSpeedMps: null,
  gains: { kp: 120_000, ki: 2_000, source: 'defaults' },
  wayside: { commandedSpeedMps: 11, speedLimitMps: 13.9, authorityRemainingM: 500, dwelling: false, stationSide: null, stopIsStation: false },
  failures: NO_FAILURES,
  operatorEmergencyBrake: false,
  doorsOpen: false,
  temperatureSetpointC: null,
  ...overrides,
});

const once = (i: ControllerInputs) => controllerStep(INITIAL_CONTROLLER_STATE, i, 0.5).output;

describe('modes', () => {
  it('auto follows the wayside commanded speed', () => {
    const out = once(inputs());
    expect(out.targetSpeedMps).toBe(11);
    expect(out.powerCommandW).toBe(120_000);
    expect(out.status).toBe('ok');
  });

  it('manual follows the driver setpoint, still capped by the speed limit', () => {
    expect(once(inputs({ mode: 'manual', driverSpeedMps: 8 })).targetSpeedMps).toBe(8);
    expect(once(inputs({ mode: 'manual', driverSpeedMps: 30 })).targetSpeedMps).toBe(13.9);
  });

  it('manual mode without a setpoint holds the train and says why', () => {
    const out = once(inputs({ mode: 'manual' }));
    expect(out).toMatchObject({ powerCommandW: 0, serviceBrake: true, status: 'no-input' });
    expect(out.statusMessage).toMatch(/driverSpeedMps/);
  });

  it('slows the target down to the braking curve before the end of authority', () => {
    // 30 m left: v·1 + v²/(2·1.0) = 30 − 1.5 gives v = √(1 + 57) − 1 = 6.62 m/s.
    expect(once(inputs({ speedMps: 3, wayside: { ...inputs().wayside!, authorityRemainingM: 30 } })).targetSpeedMps).toBeCloseTo(Math.sqrt(58) - 1, 9);
  });
});

describe('gains', () => {
  it('missing gains command zero power with status no-gains, never a silent default', () => {
    const out = once(inputs({ gains: { kp: null, ki: null, source: 'none' } }));
    expect(out).toMatchObject({ powerCommandW: 0, status: 'no-gains' });
    expect(out.statusMessage).toMatch(/gains are not set/);
  });

  it('come from the operator, else the section, else the configured defaults', () => {
    const section = { powerCommandW: 0, serviceBrake: false, emergencyBrake: false, kp: 5, ki: 6, mode: 'auto' as const };
    expect(resolveGains({ kp: 1, ki: 2 }, section, DEFAULT_CONTROLLER_CONFIG)).toEqual({ kp: 1, ki: 2, source: 'operator' });
    expect(resolveGains({}, section, DEFAULT_CONTROLLER_CONFIG)).toEqual({ kp: 5, ki: 6, source: 'section' });
    expect(resolveGains({}, { ...section, kp: null, ki: null }, DEFAULT_CONTROLLER_CONFIG)).toEqual({ kp: 120_000, ki: 2_000, source: 'defaults' });
    expect(resolveGains({}, { ...section, kp: null, ki: null }, { defaultGains: null })).toEqual({ kp: null, ki: null, source: 'none' });
  });
});

describe('vital behaviour of the whole step', () => {
  it('brakes instead of traction when the authority is below the service-braking distance', () => {
    const out = once(inputs({ speedMps: 10, wayside: { ...inputs().wayside!, authorityRemainingM: 50 } }));
    expect(out).toMatchObject({ powerCommandW: 0, serviceBrake: true, emergencyBrake: false, status: 'authority-stop' });
  });

  it('emergency brake on a predicted authority overrun', () => {
    const out = once(inputs({ speedMps: 10, wayside: { ...inputs().wayside!, authorityRemainingM: 30 } }));
    expect(out).toMatchObject({ powerCommandW: 0, emergencyBrake: true, status: 'emergency' });
  });

  it('service brake above the speed limit', () => {
    const out = once(inputs({ speedMps: 14.5 }));
    expect(out).toMatchObject({ powerCommandW: 0, serviceBrake: true, status: 'overspeed' });
  });

  it('signal failure: wayside commands ignored, emergency brake', () => {
    const out = once(inputs({ failures: { ...NO_FAILURES, signal: true } }));
    expect(out).toMatchObject({ powerCommandW: 0, emergencyBrake: true, status: 'failure' });
    expect(out.statusMessage).toMatch(/signal failure/);
  });

  it('brake failure: the emergency brake stands in for the service brake', () => {
    const out = once(inputs({ speedMps: 14.5, failures: { ...NO_FAILURES, brake: true } }));
    expect(out).toMatchObject({ serviceBrake: false, emergencyBrake: true, status: 'failure' });
  });

  it('engine failure: no power, service brake, status failure', () => {
    expect(once(inputs({ failures: { ...NO_FAILURES, engine: true } }))).toMatchObject({ powerCommandW: 0, serviceBrake: true, status: 'failure' });
  });

  it('a channel that disagrees makes the step brake with status vital-disagree', () => {
    const alwaysBrake: VitalChannel = () => ({ tractionAllowed: false, serviceBrake: true, emergencyBrake: false, reason: 'authority-stop' });
    const out = controllerStep(INITIAL_CONTROLLER_STATE, inputs(), 0.5, { vitalChannels: [alwaysBrake, () => ({ tractionAllowed: true, serviceBrake: false, emergencyBrake: false, reason: 'clear' })] }).output;
    expect(out).toMatchObject({ powerCommandW: 0, serviceBrake: true, status: 'vital-disagree' });
  });

  it('never commands traction together with a brake, and always explains zero power (random situations)', () => {
    fc.assert(
      fc.property(
        fc.record({
          speedMps: fc.double({ min: 0, max: 25, noNaN: true }),
          authority: fc.option(fc.double({ min: 0, max: 2_000, noNaN: true })),
          commanded: fc.double({ min: 0, max: 20, noNaN: true }),
          limit: fc.double({ min: 0, max: 20, noNaN: true }),
          engine: fc.boolean(),
          brake: fc.boolean(),
          signal: fc.boolean(),
          dwelling: fc.boolean(),
          doorsOpen: fc.boolean(),
        }),
        (r) => {
          const out = once(
            inputs({
              speedMps: r.speedMps,
              failures: { engine: r.engine, brake: r.brake, signal: r.signal },
              doorsOpen: r.doorsOpen,
              wayside: r.authority === null ? null : { commandedSpeedMps: r.commanded, speedLimitMps: r.limit, authorityRemainingM: r.authority, dwelling: r.dwelling, stationSide: 'left', stopIsStation: true },
            }),
          );
          if (out.powerCommandW > 0) {
            expect(out.serviceBrake || out.emergencyBrake).toBe(false);
            expect(out.leftDoorsOpen || out.rightDoorsOpen || r.doorsOpen).toBe(false);
          } else {
            expect(out.status).not.toBe('ok');
            expect(out.statusMessage.length).toBeGreaterThan(10);
          }
          expect(out.powerCommandW).toBeLessThanOrEqual(120_000);
        },
      ),
      { numRuns: 5_000, seed: 42 },
    );
  });
});

describe('doors', () => {
  const dwell = { commandedSpeedMps: 0, speedLimitMps: 13.9, authorityRemainingM: 0, dwelling: true, stationSide: 'left' as const, stopIsStation: true };

  it('open on the station side while dwelling and stopped, with no traction', () => {
    const out = once(inputs({ speedMps: 0, wayside: dwell }));
    expect(out).toMatchObject({ leftDoorsOpen: true, rightDoorsOpen: false, powerCommandW: 0, serviceBrake: true, status: 'station-stop' });
  });

  it('stay closed while moving, and close when the dwell ends', () => {
    expect(once(inputs({ speedMps: 1, wayside: dwell })).leftDoorsOpen).toBe(false);
    expect(once(inputs({ speedMps: 0, wayside: { ...dwell, dwelling: false, authorityRemainingM: 400, commandedSpeedMps: 11 } })).leftDoorsOpen).toBe(false);
  });

  it('no traction while the model still reports open doors', () => {
    expect(once(inputs({ speedMps: 0, doorsOpen: true }))).toMatchObject({ powerCommandW: 0, status: 'station-stop' });
  });
});

describe('arguments', () => {
  it('rejects a negative dt with a typed error naming the fix', () => {
    try {
      controllerStep(INITIAL_CONTROLLER_STATE, inputs(), -0.5);
      expect.unreachable('accepted dt −0.5');
    } catch (error) {
      expect(ControllerError.isInstance(error)).toBe(true);
      expect((error as ControllerError).code).toBe('INVALID_INPUT');
      expect((error as Error).message).toMatch(/dtS must be/);
    }
  });
});
