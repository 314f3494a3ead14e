import type { TrainData } from '@rail/schema';
import type { Route } from '@rail/track';

export interface TrainObservation {
  id: string;
  maxSpeedMps: number;
  /** Largest speed above the limit of the block the train was in (0 when never above), m/s. */
  maxOverLimitMps: number;
  /** Largest authority overrun the model reported, m. */
  maxOverrunM: number;
  /** Station names in the order the model reported them served. */
  stations: string[];
  /** Where the first overrun was seen, for whoever has to fix it. */
  firstOverrun: { simTimeS: number; block: number | null; routeIndex: number | null; speedMps: number; overrunM: number; nextStation: string | null; controllerStatus: string | null } | null;
  /** Times the power command dropped to 0 without the controller writing (see observe). */
  powerResets: number;
}

/**
 * Watches committed revisions from the parent and keeps what the summary needs that a final snapshot
 * cannot show: peaks, the stations in order, and power-command resets.
 *
 * A reset is the power command going from traction to 0 (or the controller section vanishing) in a
 * revision whose writer (`lastWriter.module`) is not the controller. Only a revision that directly
 * follows the previous one observed can be attributed to one writer, so the observer also counts how
 * many revisions it saw and how many of those were attributable (`attributable / revisionsSeen`).
 */
export class RunObserver {
  readonly trains = new Map<string, TrainObservation>();
  revisionsSeen = 0;
  /** Revisions that directly followed the previously observed one (their writer is known). */
  attributable = 0;
  lastRevision = -1;
  private readonly lastPowerW = new Map<string, number>();

  constructor(private readonly route: Route) {}

  observe(doc: TrainData): void {
    if (doc.revision <= this.lastRevision) return;
    this.revisionsSeen += 1;
    const consecutive = doc.revision === this.lastRevision + 1;
    if (consecutive) this.attributable += 1;
    const writer = doc.lastWriter?.module;
    for (const [id, train] of Object.entries(doc.trains)) {
      let obs = this.trains.get(id);
      if (obs === undefined) {
        obs = { id, maxSpeedMps: 0, maxOverLimitMps: 0, maxOverrunM: 0, stations: [], powerResets: 0, firstOverrun: null };
        this.trains.set(id, obs);
      }
      const model = train.model;
      if (model !== undefined) {
        obs.maxSpeedMps = Math.max(obs.maxSpeedMps, model.speedMps);
        const step = model.routeIndex === undefined ? undefined : this.route.steps[model.routeIndex];
        if (step !== undefined) obs.maxOverLimitMps = Math.max(obs.maxOverLimitMps, model.speedMps - step.speedLimitMps);
        obs.maxOverrunM = Math.max(obs.maxOverrunM, model.authorityOverrunM ?? 0);
        if (obs.firstOverrun === null && (model.authorityOverrunM ?? 0) > 0) {
          obs.firstOverrun = {
            simTimeS: model.simTimeS ?? doc.simTimeS ?? 0,
            block: model.block,
            routeIndex: model.routeIndex ?? null,
            speedMps: model.speedMps,
            overrunM: model.authorityOverrunM ?? 0,
            nextStation: train.wayside?.nextStation ?? null,
            controllerStatus: train.controller?.status ?? null,
          };
        }
        const served = model.stationsServed ?? 0;
        if (served > obs.stations.length && model.lastStation) {
          // Revisions between two observations may hide a station; its name is then unknown.
          while (obs.stations.length < served - 1) obs.stations.push('?');
          obs.stations.push(model.lastStation);
        }
      }
      const before = this.lastPowerW.get(id);
      const powerW = train.controller?.powerCommandW;
      if (consecutive && writer !== 'controller' && before !== undefined && before > 0 && (powerW === undefined || powerW === 0)) obs.powerResets += 1;
      if (powerW === undefined) this.lastPowerW.delete(id);
      else this.lastPowerW.set(id, powerW);
    }
    this.lastRevision = doc.revision;
  }
}
