import type { TrainData } from '@rail/schema';
import type { Route } from '@rail/track';

/** The Redis server's side, as the parent last asked it (the file store has no such line). */
export interface RedisView {
  pingMs: number | null;
  aof: boolean | null;
  appendfsync: string | null;
  everyAckDurable: boolean;
  /** Label of the handle that committed last. */
  lastWriter: string | null;
  historyLength: number | null;
  error: string | null;
}

export interface StoreHealth {
  redis: RedisView | null;
  revision: number;
  updatesPerS: number;
  lockWaitP99Ms: number;
  retries: number;
  restores: number;
  errors: number;
  kills: number;
}

export interface ViewFrame {
  doc: TrainData;
  durationS: number;
  speed: number;
  file: string;
  health: StoreHealth;
}

const kmh = (mps: number) => (mps * 3.6).toFixed(0);

/** The frame's lines: one per train, then the shared file's health. */
export function renderFrame(frame: ViewFrame, route: Route): string[] {
  const { doc, health } = frame;
  const sim = doc.simTimeS ?? 0;
  const lines = [`rail demo  sim ${sim.toFixed(1)} / ${frame.durationS} s (×${frame.speed})  ${frame.file}`];
  lines.push('train  block  station                    km/h / limit  power kW  authority m  served');
  for (const [id, t] of Object.entries(doc.trains)) {
    const m = t.model;
    const w = t.wayside;
    if (m === undefined) {
      lines.push(`${id.padEnd(6)} yard`);
      continue;
    }
    const step = m.routeIndex === undefined ? undefined : route.steps[m.routeIndex];
    const limit = step?.speedLimitMps ?? w?.speedLimitMps;
    const station =
      w?.dwellUntilS !== undefined && w.dwellUntilS !== null
        ? `at ${w.currentStation ?? '?'} (${Math.max(0, w.dwellUntilS - (m.simTimeS ?? sim)).toFixed(0)} s)`
        : `→ ${w?.nextStation ?? '-'}`;
    const authority = m.authorityRemainingM ?? null;
    lines.push(
      `${id.padEnd(6)} ${String(m.block ?? '-').padStart(5)}  ${station.slice(0, 25).padEnd(25)}  ${`${kmh(m.speedMps)} / ${limit === undefined ? '-' : kmh(limit)}`.padStart(12)}  ${((t.controller?.powerCommandW ?? 0) / 1000).toFixed(1).padStart(8)}  ${(authority === null ? '-' : authority.toFixed(0)).padStart(11)}  ${String(m.stationsServed ?? 0).padStart(6)}`,
    );
  }
  const r = health.redis;
  lines.push(
    `${r === null ? 'file ' : 'redis'}  revision ${health.revision}  updates/s ${health.updatesPerS.toFixed(0)}  lock wait p99 ${health.lockWaitP99Ms.toFixed(2)} ms  retries ${health.retries}  restores ${health.restores}  errors ${health.errors}${health.kills > 0 ? `  kills ${health.kills}` : ''}`,
  );
  if (r !== null) lines.push(`redis  ${r.error ?? redisLine(r)}`);
  return lines;
}

function redisLine(r: RedisView): string {
  const persistence = r.aof === null ? 'persistence unknown' : `${r.aof ? `aof ${r.appendfsync ?? '?'}` : 'no aof'}${r.everyAckDurable ? ' (every ack durable)' : ' (acked updates can be lost in a crash)'}`;
  return `ping ${r.pingMs === null ? '-' : `${r.pingMs.toFixed(2)} ms`}  ${persistence}  last writer ${r.lastWriter ?? '-'}  history ${r.historyLength ?? '-'}`;
}

/**
 * Redraws the frame in place on a terminal; elsewhere (CI logs, pipes) prints one plain progress
 * line per `plainEveryS` of simulated time.
 */
export class LiveView {
  private drawnLines = 0;
  private lastPlainAtS = -Infinity;

  constructor(
    private readonly out: NodeJS.WriteStream,
    private readonly route: Route,
    private readonly plainEveryS: number,
  ) {}

  draw(frame: ViewFrame): void {
    if (this.out.isTTY) {
      const lines = renderFrame(frame, this.route).map((l) => l.slice(0, (this.out.columns || 120) - 1));
      const up = this.drawnLines > 0 ? `\x1b[${this.drawnLines}F` : '';
      this.out.write(`${up}\x1b[0J${lines.join('\n')}\n`);
      this.drawnLines = lines.length;
      return;
    }
    const sim = frame.doc.simTimeS ?? 0;
    if (sim - this.lastPlainAtS < this.plainEveryS) return;
    this.lastPlainAtS = sim;
    const trains = Object.entries(frame.doc.trains)
      .map(([id, t]) => (t.model === undefined ? `${id} yard` : `${id} blk ${t.model.block ?? '-'} ${kmh(t.model.speedMps)} km/h served ${t.model.stationsServed ?? 0}`))
      .join(' | ');
    const h = frame.health;
    const redis = h.redis === null ? '' : ` | redis ${h.redis.error ?? redisLine(h.redis)}`;
    this.out.write(`t=${sim.toFixed(0)}s rev ${h.revision} ${h.updatesPerS.toFixed(0)}/s p99 wait ${h.lockWaitP99Ms.toFixed(1)} ms errors ${h.errors} | ${trains}${redis}\n`);
  }
}
