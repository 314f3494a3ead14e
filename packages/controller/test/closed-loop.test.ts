import { loadBuiltinLine } from '@rail/track';
import { describe, expect, it } from 'vitest';
import type { Route } from '@rail/train-model';
import { fixedWayside, KMH, levelRoute, runClosedLoop, type LoopSample } from './closed-loop.js';

const V40 = 40 * KMH;

function settleTimeS(samples: LoopSample[], target: number, band: number): number {
  let t = 0;
  for (const s of samples) if (Math.abs(s.train.speedMps - target) > band) t = s.timeS;
  return t;
}

describe('closed loop with the train model', () => {
  it('reaches a commanded 40 km/h from rest within ±0.1 m/s in under 45 s and never exceeds the 40 km/h limit', () => {
    const samples = runClosedLoop({ route: levelRoute(), seconds: 200, wayside: fixedWayside(V40, 1_000_000, V40) });
    expect(Math.max(...samples.map((s) => s.train.speedMps))).toBeLessThanOrEqual(V40);
    expect(settleTimeS(samples, V40, 0.1)).toBeLessThan(45);
    expect(Math.abs((samples.at(-1)?.train.speedMps ?? 0) - V40)).toBeLessThan(0.02);
    expect(samples.every((s) => !s.output.serviceBrake && !s.output.emergencyBrake)).toBe(true);
  });

  it('anti-windup: after 200 s saturated on a 5 % upgrade, the train crests and reaches 40 km/h without overshoot', () => {
    // On the 5 % grade 120 kW only holds about 5.7 m/s (see @rail/train-model tests), so the loop is
    // saturated at 120 kW the whole climb with an error near 5.4 m/s. A free-running integral would
    // collect about 5.4 × 200 = 1 080 m, i.e. ki·u = 2.2 MW of windup, and overshoot for minutes.
    const route: Route = {
      line: 'Hill',
      loopsTo: 0,
      steps: [
        { index: 0, block: 1, direction: 1, lengthM: 1_150, gradePercent: 5, speedLimitMps: 70 * KMH, station: null, startM: 0 },
        { index: 1, block: 2, direction: 1, lengthM: 100_000, gradePercent: 0, speedLimitMps: 70 * KMH, station: null, startM: 1_150 },
      ],
    };
    const samples = runClosedLoop({ route, seconds: 500, wayside: fixedWayside(V40, 1_000_000) });
    const crest = samples.findIndex((s) => s.train.routeIndex === 1);
    expect(samples[crest]?.timeS).toBeGreaterThan(200);
    const saturatedShare = samples.slice(40, crest).filter((s) => s.output.powerCommandW === 120_000).length / (crest - 40);
    expect(saturatedShare).toBe(1);
    const after = samples.slice(crest);
    expect(Math.max(...after.map((s) => s.train.speedMps))).toBeLessThan(V40 + 0.05);
    expect(Math.abs((samples.at(-1)?.train.speedMps ?? 0) - V40)).toBeLessThan(0.05);
  });
});

/** The protocol's station rule: authority to the middle of the station step, commanded speed = block limit. */
function stationWayside(route: Route, stationIndex: number) {
  const step = route.steps[stationIndex];
  if (step === undefined) throw new Error('no such step');
  const stopPointM = step.startM + step.lengthM / 2;
  return (t: { distanceM: number; routeIndex: number }) => ({
    commandedSpeedMps: route.steps[t.routeIndex]?.speedLimitMps ?? 0,
    speedLimitMps: route.steps[t.routeIndex]?.speedLimitMps ?? 0,
    authorityRemainingM: Math.max(0, stopPointM - t.distanceM),
    dwelling: false,
    stationSide: step.station?.side ?? null,
    stopIsStation: true,
  });
}

describe('station stops on the real lines', () => {
  const cases = [
    { name: 'Blue, Station B (block 10)', route: loadBuiltinLine('Blue').route, block: 10 },
    { name: 'Blue, Station C via the switch at block 5 (block 15)', route: loadBuiltinLine('Blue', { via: [11] }).route, block: 15 },
    { name: 'Green, Glenbury (block 65)', route: loadBuiltinLine('Green').route, block: 65 },
  ];
  for (const c of cases) {
    it(`${c.name}: stops inside the station block within 5 m of its middle, no overrun, never above the limit`, () => {
      const index = c.route.steps.findIndex((s) => s.block === c.block && s.station !== null);
      expect(index).toBeGreaterThanOrEqual(0);
      const step = c.route.steps[index]!;
      const samples = runClosedLoop({ route: c.route, seconds: 240, wayside: stationWayside(c.route, index) });
      const end = samples.at(-1)!.train;
      expect(end.speedMps).toBe(0);
      expect(end.routeIndex).toBe(index);
      expect(Math.abs(end.positionInBlockM - step.lengthM / 2)).toBeLessThanOrEqual(5);
      expect(end.distanceM).toBeLessThanOrEqual(step.startM + step.lengthM / 2);
      for (const s of samples) {
        expect(s.train.speedMps).toBeLessThanOrEqual((c.route.steps[s.train.routeIndex]?.speedLimitMps ?? 0) + 1e-9);
        expect(s.output.emergencyBrake).toBe(false);
      }
    });
  }
});
