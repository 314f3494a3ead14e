import { FLEXITY2_SPECS, type Specs } from '@rail/schema';
import type { Route, RouteStep, TrainModelInputs, TrainState } from '../src/index.js';
import { idleInputs, step } from '../src/index.js';

export const SPECS: Specs = { ...FLEXITY2_SPECS };
/** 40 900 kg empty + 2 crew × 70 kg, no passengers. */
export const EMPTY_MASS_WITH_CREW_KG = 40_900 + 2 * 70;
export const KMH = 1 / 3.6;

export function routeStep(index: number, partial: Partial<RouteStep> = {}): RouteStep {
  return {
    index,
    block: index + 1,
    direction: 1,
    lengthM: 100,
    gradePercent: 0,
    speedLimitMps: 70 * KMH,
    station: null,
    startM: index * 100,
    ...partial,
  };
}

/** One very long block: the train never leaves it in these tests. */
export function straightTrack(gradePercent = 0, lengthM = 1_000_000): Route {
  return { line: 'Test', loopsTo: 0, steps: [routeStep(0, { lengthM, gradePercent })] };
}

export function inputs(overrides: Partial<TrainModelInputs> = {}): TrainModelInputs {
  return { ...idleInputs(SPECS), ...overrides };
}

/** Steps `seconds` of simulated time with period `dtS`, collecting every state. */
export function simulate(
  start: TrainState,
  commands: TrainModelInputs | ((s: TrainState) => TrainModelInputs),
  seconds: number,
  dtS: number,
  route: Route,
): TrainState[] {
  const states: TrainState[] = [start];
  let s = start;
  const n = Math.round(seconds / dtS);
  for (let i = 0; i < n; i++) {
    s = step(s, typeof commands === 'function' ? commands(s) : commands, dtS, route);
    states.push(s);
  }
  return states;
}

export function last<T>(items: readonly T[]): T {
  const item = items[items.length - 1];
  if (item === undefined) throw new Error('empty list');
  return item;
}
