import { hostname } from 'node:os';
import type { SharedDocument } from '@rail/atomic-file';
import type { Train, TrainData } from '@rail/schema';
import type { Route } from '@rail/track';

export interface QueuedTrain {
  id: string;
  train: Train;
}

/**
 * Puts trains on the line from the yard, one per headway of simulated time, as the one writer of
 * `line` and `specs`. A train is placed at step 0 by the train model when it first sees it, so the
 * next one waits until the previous train's rear has left step 0 as well as for its time.
 */
export class Dispatcher {
  private nextAtS = 0;
  private inFlight: Promise<void> | null = null;
  readonly dispatched: { id: string; atSimS: number }[] = [];

  constructor(
    private readonly doc: SharedDocument<TrainData>,
    private readonly queue: QueuedTrain[],
    private readonly headwayS: number,
    private readonly route: Route,
  ) {}

  get pending(): number {
    return this.queue.length;
  }

  /** Looks at a committed snapshot and dispatches the next train when it is due. */
  consider(snapshot: TrainData): Promise<void> | null {
    if (this.inFlight !== null || this.queue.length === 0) return null;
    const simTimeS = snapshot.simTimeS ?? 0;
    if (simTimeS < this.nextAtS || !this.previousClear(snapshot)) return null;
    const next = this.queue[0];
    if (next === undefined) return null;
    this.inFlight = this.doc
      .update((draft) => {
        draft.trains[next.id] = structuredClone(next.train);
        draft.lastWriter = { module: 'dispatcher', pid: process.pid, host: hostname() };
      })
      .then(() => {
        this.queue.shift();
        this.dispatched.push({ id: next.id, atSimS: simTimeS });
        this.nextAtS = Math.max(this.nextAtS, simTimeS) + this.headwayS;
      })
      .finally(() => {
        this.inFlight = null;
      });
    return this.inFlight;
  }

  private previousClear(snapshot: TrainData): boolean {
    const last = this.dispatched[this.dispatched.length - 1];
    if (last === undefined) return true;
    const train = snapshot.trains[last.id];
    const first = this.route.steps[0];
    if (train?.model === undefined || first === undefined) return false;
    return train.model.distanceM - train.specs.lengthM > first.lengthM;
  }
}
