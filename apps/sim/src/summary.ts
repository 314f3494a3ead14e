import type { ChaosKill } from './chaos.js';
import type { LedgerCheck } from './ledger-check.js';
import type { Quantiles } from './quantiles.js';
import type { TrainObservation } from './run-observer.js';

export interface TrainSummary {
  id: string;
  stationsServed: number;
  stations: string[];
  distanceM: number;
  maxSpeedMps: number;
  /** Largest speed above the limit of the block the train was in, m/s (≤ 0: never above). */
  maxOverLimitMps: number;
  authorityOverrunM: number;
  firstOverrun: TrainObservation['firstOverrun'];
  powerResets: number;
}

export interface ProcessSummary {
  module: string;
  pid: number;
  killed: boolean;
  exitCode: number | null;
  ticks: number | null;
  commits: number | null;
  errors: number | null;
}

export interface DemoSummary {
  ok: boolean;
  /** Each invariant that did not hold, as a sentence. */
  failures: string[];
  /** The store: the file's path, or the Redis URL with any password hidden. */
  store: string;
  storeKind: 'file' | 'redis';
  line: string;
  /** Trains asked for (--trains, or the legacy file's); fewer are dispatched when the run ends first. */
  requestedTrains: number;
  /** The block an open route ends at (trains stop there for good), or null when the route loops. */
  routeEndsAtBlock: number | null;
  durationS: number;
  simTimeS: number;
  wallS: number;
  speed: number;
  chaos: { seed: number; kills: ChaosKill[] } | null;
  trains: TrainSummary[];
  stationsServed: number;
  authorityOverruns: number;
  writeErrors: { storeErrorEvents: number; runnerErrors: number; total: number };
  powerResets: number;
  /** How much of the run the parent saw: revisions observed, and those whose writer was known (reset detection needs it). */
  observed: { revisions: number; attributable: number; total: number };
  lostUpdates: number;
  corruptReads: number;
  /** Temp files left next to the file; null for Redis, which writes none. */
  tempFilesLeft: number | null;
  /**
   * Damaged copies of the file this run's store set aside when it restored the file from its backup
   * (each one cost the commit it replaced); null for Redis.
   */
  damagedCopies: string[] | null;
  updateLatencyMs: Quantiles;
  lockWaitMs: Quantiles;
  storeEvents: Record<string, number>;
  commits: LedgerCheck;
  processes: ProcessSummary[];
}

const f1 = (n: number) => n.toFixed(1);
const kmh = (mps: number) => `${(mps * 3.6).toFixed(1)} km/h`;

/** The summary as terminal text. */
export function formatSummary(s: DemoSummary): string {
  const lines: string[] = [];
  lines.push(`rail demo summary — ${s.line} Line, ${s.trains.length} trains, ${f1(s.simTimeS)} s simulated in ${f1(s.wallS)} s wall (×${s.speed}), store ${s.store}`);
  if (s.routeEndsAtBlock !== null) {
    lines.push(`note: the ${s.line} route does not loop back to the yard: it ends at block ${s.routeEndsAtBlock}, where the first train stops for good and the trains behind it wait.`);
  }
  if (s.trains.length < s.requestedTrains) {
    lines.push(`note: ${s.requestedTrains} trains were asked for and ${s.trains.length} dispatched: one leaves the yard per headway once the first block is clear, and the run ended first (raise --duration or lower --headway).`);
  }
  if (s.chaos !== null) {
    lines.push(`chaos: seed ${s.chaos.seed}, ${s.chaos.kills.length} SIGKILLs: ${s.chaos.kills.map((k) => `${k.module}@${f1(k.atSimS)}s`).join(', ') || 'none'}`);
  }
  lines.push('');
  lines.push('train  stations  distance m  max speed   limit exceeded by  overrun m  power resets  stations served');
  for (const t of s.trains) {
    lines.push(
      `${t.id.padEnd(6)} ${String(t.stationsServed).padStart(8)}  ${t.distanceM.toFixed(0).padStart(10)}  ${kmh(t.maxSpeedMps).padStart(10)}  ${kmh(Math.max(0, t.maxOverLimitMps)).padStart(17)}  ${t.authorityOverrunM.toFixed(1).padStart(9)}  ${String(t.powerResets).padStart(12)}  ${t.stations.join(', ') || '-'}`,
    );
  }
  for (const t of s.trains) {
    const o = t.firstOverrun;
    if (o !== null) lines.push(`${t.id} first overran its authority at ${f1(o.simTimeS)} s in block ${o.block ?? '-'} (route step ${o.routeIndex ?? '-'}) at ${kmh(o.speedMps)}, by ${o.overrunM.toFixed(2)} m, heading for ${o.nextStation ?? '-'}, controller status ${o.controllerStatus ?? '-'}`);
  }
  lines.push('');
  const c = s.commits;
  const byModule = Object.entries(c.commitsByModule)
    .map(([m, n]) => `${m} ${n}`)
    .join(' + ');
  lines.push(`stations served        ${s.stationsServed}`);
  lines.push(`authority overruns     ${s.authorityOverruns}`);
  lines.push(`write errors           ${s.writeErrors.total} (store error events ${s.writeErrors.storeErrorEvents}, runner errors ${s.writeErrors.runnerErrors})`);
  lines.push(`power resets to 0      ${s.powerResets} (checked on ${s.observed.attributable} of ${s.observed.total} revisions, those the parent saw right after their predecessor)`);
  lines.push(`lost updates           ${s.lostUpdates} (final revision ${c.finalRevision} − start ${c.baseRevision} = ${c.finalRevision - c.baseRevision}; commits ${byModule} = ${Object.values(c.commitsByModule).reduce((a, b) => a + b, 0)}${c.attributedFromPending > 0 ? `, ${c.attributedFromPending} credited to killed processes from their pending line` : ''})`);
  lines.push(`corrupt reads          ${s.corruptReads}`);
  lines.push(`temp files left        ${s.tempFilesLeft ?? 'n/a (Redis store)'}`);
  if (s.damagedCopies !== null && s.damagedCopies.length > 0) lines.push(`damaged copies         ${s.damagedCopies.length} restored from the backup, kept at ${s.damagedCopies.join(', ')}`);
  lines.push(`update latency         p50 ${s.updateLatencyMs.p50.toFixed(2)} ms, p99 ${s.updateLatencyMs.p99.toFixed(2)} ms, max ${s.updateLatencyMs.max.toFixed(2)} ms over ${s.updateLatencyMs.count} commits`);
  lines.push(`lock wait              p50 ${s.lockWaitMs.p50.toFixed(2)} ms, p99 ${s.lockWaitMs.p99.toFixed(2)} ms`);
  const events = Object.entries(s.storeEvents);
  if (events.length > 0) lines.push(`store events           ${events.map(([k, n]) => `${k} ${n}`).join(', ')}`);
  lines.push('');
  lines.push(s.ok ? 'OK: every invariant held.' : `FAILED:\n${s.failures.map((m) => `  - ${m}`).join('\n')}`);
  return lines.join('\n');
}
