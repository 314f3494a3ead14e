import type { TrackLayout } from '@rail/schema';

export type Direction = 1 | -1;

/** One block as travelled by a train: the unit of `routeIndex` in train_data.json. */
export interface RouteStep {
  /** Position in `Route.steps`. */
  index: number;
  block: number;
  /** 1: travelled towards higher block numbers; -1: towards lower. */
  direction: Direction;
  lengthM: number;
  /** Grade in the direction of travel, percent (%); positive is uphill. */
  gradePercent: number;
  speedLimitMps: number;
  station: { name: string; side: 'left' | 'right' | 'both' | null } | null;
  /** Distance from the route's start to this step's entry, metres (m). */
  startM: number;
}

/** The path a train follows through a line, derived from the sheet's switch cells. */
export interface Route {
  line: string;
  steps: RouteStep[];
  /** Step the train continues at after the last step (a loop), or null when the route ends there. */
  loopsTo: number | null;
}

export interface RouteOptions {
  /**
   * Blocks to take wherever a switch offers them, e.g. `{ via: [11] }` sends a Blue Line train to
   * Station C instead of Station B. Every block listed must be reachable at some switch.
   */
  via?: number[];
}



/** Index of the step after `index`, following the loop; null at the end of an open route. */
export function nextRouteIndex(route: Route, index: number): number | null {
  if (index + 1 < route.steps.length) return index + 1;
  return route.loopsTo;
}

/** Distance from the route start to the end of the last step, metres (m). */
export function routeLengthM(route: Route): number {
  const last = route.steps[route.steps.length - 1];
  return last === undefined ? 0 : last.startM + last.lengthM;
}
