import { describe, expect, it } from 'vitest';
import { exchangePassengers, initialTrainState, step, type Route, type TrainState } from '../src/index.js';
import { inputs, routeStep } from './helpers.js';

const stationRoute: Route = {
  line: 'Blue',
  loopsTo: null,
  steps: [routeStep(0, { block: 10, lengthM: 50, station: { name: 'Station B', side: 'right' } })],
};

const atStation = (overrides: Partial<TrainState> = {}): TrainState => ({ ...initialTrainState(100), positionInBlockM: 25, ...overrides });

describe('cabin temperature', () => {
  it('approaches the setpoint first-order with τ = 180 s: 63.2 % of the gap after 180 s', () => {
    let s = { ...initialTrainState(), temperatureC: 30 };
    for (let i = 0; i < 360; i++) s = step(s, inputs({ temperatureSetpointC: 20 }), 0.5, stationRoute);
    expect(s.temperatureC).toBeCloseTo(20 + 10 * Math.exp(-1), 6);
  });

  it('is held when no setpoint is commanded', () => {
    const s = step({ ...initialTrainState(), temperatureC: 27 }, inputs(), 60, stationRoute);
    expect(s.temperatureC).toBe(27);
  });
});

describe('doors and lights', () => {
  it('open only at a standstill', () => {
    const moving = step(atStation({ speedMps: 3 }), inputs({ rightDoorsOpen: true }), 0.5, stationRoute);
    expect(moving.rightDoorsOpen).toBe(false);
    const stopped = step(atStation(), inputs({ rightDoorsOpen: true }), 0.5, stationRoute);
    expect(stopped.rightDoorsOpen).toBe(true);
    expect(stopped.leftDoorsOpen).toBe(false);
  });

  it('block traction while open', () => {
    const s = step(atStation({ rightDoorsOpen: true }), inputs({ rightDoorsOpen: true, powerCommandW: 120_000 }), 2, stationRoute);
    expect(s.speedMps).toBe(0);
  });

  it('lights follow the commands', () => {
    const s = step(atStation(), inputs({ interiorLights: true, exteriorLights: false }), 0.5, stationRoute);
    expect(s.interiorLights).toBe(true);
    expect(s.exteriorLights).toBe(false);
  });
});

describe('passengers', () => {
  it('board when the doors open at a station, never above the capacity of 222', () => {
    for (let seed = 0; seed < 200; seed++) {
      const s = step(atStation({ passengers: 200 }), inputs({ rightDoorsOpen: true, passengerSeed: seed }), 0.5, stationRoute);
      expect(s.passengers).toBeGreaterThanOrEqual(0);
      expect(s.passengers).toBeLessThanOrEqual(222);
      expect(Number.isInteger(s.passengers)).toBe(true);
    }
  });

  it('are deterministic: the same seed, station and time give the same count; other seeds vary', () => {
    const counts = new Set<number>();
    for (let seed = 0; seed < 20; seed++) counts.add(exchangePassengers(50, 222, 'Station B', 100, seed).passengers);
    expect(counts.size).toBeGreaterThan(5);
    expect(exchangePassengers(50, 222, 'Station B', 100, 7)).toEqual(exchangePassengers(50, 222, 'Station B', 100, 7));
  });

  it('board into an empty train when its doors open at a station', () => {
    const opened = step(atStation({ passengers: 0 }), inputs({ rightDoorsOpen: true, passengerSeed: 3 }), 0.5, stationRoute);
    expect(opened.passengers).toBeGreaterThan(0);
  });

  it('count a station as served when the doors close after the stop', () => {
    const open = step(atStation(), inputs({ rightDoorsOpen: true }), 0.5, stationRoute);
    const closed = step(open, inputs(), 0.5, stationRoute);
    expect(open.stationsServed).toBe(0);
    expect(closed.stationsServed).toBe(1);
    expect(closed.lastStation).toBe('Station B');
    expect(closed.passengers).toBe(open.passengers);
  });

  it('do not change away from a station', () => {
    const plain: Route = { line: 'L', loopsTo: 0, steps: [routeStep(0)] };
    const s = step({ ...initialTrainState(), passengers: 40 }, inputs({ leftDoorsOpen: true }), 0.5, plain);
    expect(s.leftDoorsOpen).toBe(true);
    expect(s.passengers).toBe(40);
  });
});
