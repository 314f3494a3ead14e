import { nextRouteIndex, type Route } from '@rail/track';

/** Route index of the step before `index` for a train that has travelled `distanceM` so far. */
export function previousRouteIndex(route: Route, index: number, positionInBlockM: number, distanceM: number): number | null {
  const step = route.steps[index]!;
  // On a loop the step before `loopsTo` is the last step, but only once the train has done a lap.
  if (route.loopsTo === index && distanceM > step.startM + positionInBlockM + 1e-6) return route.steps.length - 1;
  return index > 0 ? index - 1 : null;
}

/**
 * Distance along the route from (index, positionInBlockM) to `offsetM` into step `target`, metres;
 * Infinity when the route ends first. A target in the current step counts as ahead while the
 * train is at most `toleranceM` past it (then the distance is 0).
 */
export function distanceTo(route: Route, index: number, positionInBlockM: number, target: number, offsetM: number, toleranceM = 0): number {
  if (target === index && positionInBlockM <= offsetM + toleranceM) return Math.max(0, offsetM - positionInBlockM);
  let distance = route.steps[index]!.lengthM - positionInBlockM;
  let k = nextRouteIndex(route, index);
  for (let guard = 0; k !== null && guard <= route.steps.length; guard++) {
    if (k === target) return distance + offsetM;
    distance += route.steps[k]!.lengthM;
    k = nextRouteIndex(route, k);
  }
  return Number.POSITIVE_INFINITY;
}

/** The first station step at or after `from` (walking the route, following the loop), or null. */
export function stationStepFrom(route: Route, from: number | null): number | null {
  let k = from;
  for (let guard = 0; k !== null && guard <= route.steps.length; guard++) {
    if (route.steps[k]!.station !== null) return k;
    k = nextRouteIndex(route, k);
  }
  return null;
}

/** Route indexes strictly between `from` and `to` walking forward, or null if `to` is not ahead. */
export function stepsBetween(route: Route, from: number, to: number): number[] | null {
  const between: number[] = [];
  let k = nextRouteIndex(route, from);
  for (let guard = 0; k !== null && guard <= route.steps.length; guard++) {
    if (k === to) return between;
    between.push(k);
    k = nextRouteIndex(route, k);
  }
  return null;
}
