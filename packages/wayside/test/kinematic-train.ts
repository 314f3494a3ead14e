import type { Wayside } from '@rail/schema';
import { nextRouteIndex, type Route } from '@rail/track';

/**
 * A deliberately simple train for tests: accelerates at 0.5 m/s² towards the commanded speed and
 * brakes at the 1.2 m/s² service brake when the authority left (one tick ahead) would not be
 * enough to stop with a 1 m margin. Independent of the code under test.
 */
export interface KinematicTrain {
  routeIndex: number;
  positionInBlockM: number;
  distanceM: number;
  speedMps: number;
  simTimeS: number;
  block: number;
  /** Largest distance travelled beyond the authority ever seen, m. */
  overrunM: number;
}

export function startTrain(route: Route): KinematicTrain {
  return { routeIndex: 0, positionInBlockM: 0, distanceM: 0, speedMps: 0, simTimeS: 0, block: route.steps[0]!.block, overrunM: 0 };
}

export function stepTrain(train: KinematicTrain, route: Route, wayside: Wayside, dtS: number): void {
  const accel = 0.5;
  const brake = 1.2;
  const left = wayside.commandedAuthorityM - (train.distanceM - (wayside.authorityBasisDistanceM ?? 0));
  const v = train.speedMps;
  const mustBrake = (v * v) / (2 * brake) + v * dtS + 1 >= left || v > wayside.commandedSpeedMps + 0.05;
  const a = mustBrake ? -brake : v < wayside.commandedSpeedMps ? accel : 0;
  let v2 = v + a * dtS;
  let ds: number;
  if (v2 <= 0) {
    v2 = 0;
    ds = a < 0 ? (v * v) / (2 * brake) : 0;
  } else {
    v2 = Math.min(v2, Math.max(wayside.commandedSpeedMps, v));
    ds = ((v + v2) / 2) * dtS;
  }
  train.speedMps = v2;
  train.distanceM += ds;
  train.overrunM = Math.max(train.overrunM, ds - left);
  train.positionInBlockM += ds;
  while (train.positionInBlockM > route.steps[train.routeIndex]!.lengthM) {
    const next = nextRouteIndex(route, train.routeIndex);
    if (next === null) {
      train.positionInBlockM = route.steps[train.routeIndex]!.lengthM;
      break;
    }
    train.positionInBlockM -= route.steps[train.routeIndex]!.lengthM;
    train.routeIndex = next;
  }
  train.block = route.steps[train.routeIndex]!.block;
  train.simTimeS += dtS;
}

export function modelOf(train: KinematicTrain) {
  return {
    routeIndex: train.routeIndex,
    positionInBlockM: train.positionInBlockM,
    distanceM: train.distanceM,
    speedMps: train.speedMps,
    simTimeS: train.simTimeS,
    block: train.block,
  };
}
