import type { Model, Specs, Wayside } from '@rail/schema';
import { nextRouteIndex, routeLengthM, type Route } from '@rail/track';
import {
  APPROACH_BRAKE_FRACTION,
  ARRIVED_WITHIN_M,
  LIMIT_APPROACH_MARGIN_MPS,
  CREEP_SPEED_MPS,
  DEFAULT_DWELL_S,
  MAX_AUTHORITY_M,
  STOPPED_BELOW_MPS,
  STOP_TOLERANCE_M,
} from './rules.js';
import { distanceTo, previousRouteIndex, stationStepFrom, stepsBetween } from './route-walk.js';

/** What the wayside needs to know about one train. */
export interface WaysideTrainInput {
  id: string;
  specs: Pick<Specs, 'lengthM' | 'maxSpeedMps' | 'serviceBrakeMps2'>;
  /** The train model's section; absent while the train waits in the yard (not started). */
  model?: Pick<Model, 'routeIndex' | 'positionInBlockM' | 'distanceM' | 'speedMps' | 'simTimeS' | 'block'> | undefined;
  /** This train's wayside section from the previous step (the wayside's own memory). */
  previous?: Wayside | undefined;
}

export interface WaysideInput {
  /** The route every train in `trains` follows (one line). */
  route: Route;
  trains: WaysideTrainInput[];
  /** Station dwell, seconds (s). Default 20. */
  dwellS?: number;
}

export type WaysideNoteCode = 'NO_POSITION' | 'MISSED_STOP' | 'STOP_RESET';

/** Something the wayside decided that an operator should hear about. */
export interface WaysideNote {
  trainId: string;
  code: WaysideNoteCode;
  message: string;
}

export interface WaysideOutput {
  /** Block number → ids of the trains occupying it (front to rear of each train), sorted. */
  occupancy: Record<number, string[]>;
  /** Train id → the wayside section to write. */
  commands: Record<string, Wayside>;
  notes: WaysideNote[];
}

interface Placed {
  input: WaysideTrainInput;
  index: number;
  positionM: number;
  inYard: boolean;
}

/** Blocks covered by a train from its front back over its length, walking the route backwards. */
function occupiedBlocks(route: Route, train: Placed): number[] {
  const blocks = [route.steps[train.index]!.block];
  let remaining = train.input.specs.lengthM - train.positionM;
  let k: number | null = train.index;
  const distanceM = train.input.model?.distanceM ?? 0;
  let position = train.positionM;
  while (remaining > 1e-9 && k !== null) {
    k = previousRouteIndex(route, k, position, distanceM);
    if (k === null) break; // the rear is still in the yard
    blocks.push(route.steps[k]!.block);
    remaining -= route.steps[k]!.lengthM;
    position = route.steps[k]!.lengthM;
  }
  return blocks;
}

/** Distance from the train's front to the end of the last free block before another train, m. */
function distanceToOccupied(route: Route, train: Placed, placed: Placed[], occupancy: Map<number, Set<string>>): number {
  const id = train.input.id;
  const others = (block: number) => [...(occupancy.get(block) ?? [])].filter((t) => t !== id);
  const here = route.steps[train.index]!.block;
  for (const otherId of others(here)) {
    const other = placed.find((p) => p.input.id === otherId)!;
    if (train.inYard || other.index !== train.index) return 0;
    // Same step: only a train in front matters; equal positions go by id so exactly one moves.
    if (other.positionM > train.positionM || (other.positionM === train.positionM && otherId < id)) return 0;
  }
  let distance = route.steps[train.index]!.lengthM - train.positionM;
  let k = nextRouteIndex(route, train.index);
  for (let guard = 0; k !== null && guard < route.steps.length; guard++) {
    if (others(route.steps[k]!.block).length > 0) return distance;
    distance += route.steps[k]!.lengthM;
    k = nextRouteIndex(route, k);
  }
  return Number.POSITIVE_INFINITY;
}

/**
 * Speed a train may be commanded at its position: the block limit (and the vehicle maximum),
 * lowered so it can slow to each lower limit ahead and stop at the end of its authority while
 * braking at APPROACH_BRAKE_FRACTION of the service brake: v = √(v_next² + 2·b·d).
 */
function commandedSpeed(route: Route, train: Placed, authorityM: number): number {
  const b = APPROACH_BRAKE_FRACTION * train.input.specs.serviceBrakeMps2;
  const step = route.steps[train.index]!;
  let speed = Math.min(step.speedLimitMps, train.input.specs.maxSpeedMps);
  let distance = step.lengthM - train.positionM;
  let k = nextRouteIndex(route, train.index);
  let limitBeforeMps = step.speedLimitMps;
  for (let guard = 0; k !== null && guard < route.steps.length && distance < (speed * speed) / (2 * b); guard++) {
    const next = route.steps[k]!;
    // Where the limit drops, arrive a margin below it; where it does not, there is nothing to meet.
    const entryMps = next.speedLimitMps < limitBeforeMps ? Math.max(0, next.speedLimitMps - LIMIT_APPROACH_MARGIN_MPS) : next.speedLimitMps;
    speed = Math.min(speed, Math.sqrt(entryMps * entryMps + 2 * b * distance));
    limitBeforeMps = next.speedLimitMps;
    distance += next.lengthM;
    k = nextRouteIndex(route, k);
  }
  if (authorityM <= ARRIVED_WITHIN_M) return 0;
  const approach = Math.max(Math.sqrt(2 * b * authorityM), CREEP_SPEED_MPS);
  return Math.min(speed, approach);
}

/**
 * The wayside controller for one line at one instant: occupancy from every train's position, then
 * each train's commanded speed and authority, station stops and dwell. Pure and deterministic:
 * time is the trains' `model.simTimeS`, state is carried in `previous`.
 */
export function computeWaysideCommands(input: WaysideInput): WaysideOutput {
  const { route } = input;
  const dwellS = input.dwellS ?? DEFAULT_DWELL_S;
  const notes: WaysideNote[] = [];
  const commands: Record<string, Wayside> = {};
  const placed: Placed[] = [];

  for (const train of input.trains) {
    const model = train.model;
    if (model === undefined) {
      placed.push({ input: train, index: 0, positionM: 0, inYard: true });
      continue;
    }
    const index = model.routeIndex;
    const step = index === undefined ? undefined : route.steps[index];
    if (index === undefined || step === undefined) {
      notes.push({
        trainId: train.id,
        code: 'NO_POSITION',
        message:
          `train ${train.id}: model.routeIndex is ${index === undefined ? 'missing' : `${index}, outside the ${route.line} route (0…${route.steps.length - 1})`}; ` +
          'commanding a stop (speed 0, authority 0) until the train model reports a route position',
      });
      commands[train.id] = {
        commandedSpeedMps: 0,
        commandedAuthorityM: 0,
        speedLimitMps: 0,
        block: model.block,
        authorityBasisDistanceM: model.distanceM,
        nextStopRouteIndex: train.previous?.nextStopRouteIndex ?? null,
        dwellUntilS: train.previous?.dwellUntilS ?? null,
        ...(model.simTimeS === undefined ? {} : { simTimeS: model.simTimeS }),
      };
      continue;
    }
    placed.push({ input: train, index, positionM: Math.min(Math.max(model.positionInBlockM, 0), step.lengthM), inYard: false });
  }

  const occupancy = new Map<number, Set<string>>();
  for (const train of placed) {
    if (train.inYard) continue;
    for (const block of occupiedBlocks(route, train)) {
      occupancy.set(block, (occupancy.get(block) ?? new Set()).add(train.input.id));
    }
  }

  for (const train of placed) {
    const { id, model, previous } = train.input;
    const step = route.steps[train.index]!;
    const simTimeS = model?.simTimeS;
    const stopPoint = (k: number) => route.steps[k]!.lengthM / 2;
    const firstStopAhead = () => {
      const here = step.station !== null && train.positionM <= stopPoint(train.index) + STOP_TOLERANCE_M;
      return here ? train.index : stationStepFrom(route, nextRouteIndex(route, train.index));
    };

    let nextStop: number | null;
    let dwellUntilS = previous?.dwellUntilS ?? null;
    if (previous?.nextStopRouteIndex === undefined) {
      nextStop = firstStopAhead();
    } else if (previous.nextStopRouteIndex !== null && route.steps[previous.nextStopRouteIndex]?.station == null) {
      notes.push({
        trainId: id,
        code: 'STOP_RESET',
        message: `train ${id}: nextStopRouteIndex ${previous.nextStopRouteIndex} is not a station step of the ${route.line} route; restarting from the next station ahead`,
      });
      nextStop = firstStopAhead();
      dwellUntilS = null;
    } else {
      nextStop = previous.nextStopRouteIndex;
    }

    if (nextStop !== null && dwellUntilS === null && !train.inYard) {
      const pastInStep = nextStop === train.index && train.positionM > stopPoint(nextStop) + STOP_TOLERANCE_M;
      const from = previous?.routeIndex;
      const skipped = from !== undefined && from !== train.index && (stepsBetween(route, from, train.index) ?? []).includes(nextStop);
      if (pastInStep || skipped) {
        const missed = route.steps[nextStop]!.station!.name;
        nextStop = firstStopAhead();
        notes.push({
          trainId: id,
          code: 'MISSED_STOP',
          message: `train ${id} passed ${missed} (route index ${pastInStep ? train.index : 'behind it'}) without stopping at the platform; next stop is ${nextStop === null ? 'none' : route.steps[nextStop]!.station!.name}`,
        });
      }
    }

    let dwelling = false;
    if (dwellUntilS !== null) {
      if (simTimeS !== undefined && simTimeS >= dwellUntilS) {
        dwellUntilS = null;
        nextStop = nextStop === null ? null : stationStepFrom(route, nextRouteIndex(route, nextStop));
      } else {
        dwelling = true;
      }
    } else if (
      nextStop === train.index &&
      !train.inYard &&
      simTimeS !== undefined &&
      (model?.speedMps ?? 0) < STOPPED_BELOW_MPS &&
      Math.abs(train.positionM - stopPoint(nextStop)) <= STOP_TOLERANCE_M
    ) {
      dwellUntilS = simTimeS + dwellS;
      dwelling = true;
    }

    const toStop = nextStop === null ? Number.POSITIVE_INFINITY : distanceTo(route, train.index, train.positionM, nextStop, stopPoint(nextStop), STOP_TOLERANCE_M);
    const toEnd = route.loopsTo === null ? routeLengthM(route) - (step.startM + train.positionM) : routeLengthM(route);
    const toTrain = distanceToOccupied(route, train, placed, occupancy);
    // "Stopped" is below 0.05 m/s, not 0: a dwelling train keeps the few millimetres it needs to
    // come to rest with the service brake, so a dwell never causes an authority overrun.
    const speedMps = model?.speedMps ?? 0;
    const restM = (speedMps * speedMps) / (2 * train.input.specs.serviceBrakeMps2);
    const computedM = dwelling ? restM : Math.max(0, Math.min(toStop, toEnd, toTrain, MAX_AUTHORITY_M));
    // Authority already granted is never taken back (only an occupied block ahead can shorten it):
    // the controller may be acting on the previous grant while this one is written, and a grant
    // that shrinks under it turns into an overrun.
    const grantedM =
      model !== undefined && previous?.authorityBasisDistanceM !== undefined
        ? previous.authorityBasisDistanceM + previous.commandedAuthorityM - model.distanceM
        : 0;
    const authorityM = Math.max(computedM, Math.min(grantedM, toTrain, MAX_AUTHORITY_M));
    const next = nextStop === null ? null : route.steps[nextStop]!.station!;

    commands[id] = {
      commandedSpeedMps: dwelling ? 0 : commandedSpeed(route, train, authorityM),
      commandedAuthorityM: authorityM,
      speedLimitMps: step.speedLimitMps,
      block: train.inYard ? null : step.block,
      currentStation: train.inYard ? null : (step.station?.name ?? null),
      nextStation: next?.name ?? null,
      stationSide: next?.side ?? null,
      routeIndex: train.index,
      authorityBasisDistanceM: model?.distanceM ?? 0,
      nextStopRouteIndex: nextStop,
      dwellUntilS,
      // Which model state these commands answer: the train model waits for it (lockstep).
      ...(model?.simTimeS === undefined ? {} : { simTimeS: model.simTimeS }),
    };
  }

  const occupancyOut: Record<number, string[]> = {};
  for (const block of [...occupancy.keys()].sort((a, b) => a - b)) occupancyOut[block] = [...occupancy.get(block)!].sort();
  return { occupancy: occupancyOut, commands, notes };
}
