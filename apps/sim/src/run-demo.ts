import { join } from 'node:path';
import { startDashboard, type DashboardHandle } from '@rail/dashboard';
import type { RedisHealth } from '@rail/redis-store';
import { emptyTrainData, type TrainData } from '@rail/schema';
import { loadBuiltinLine } from '@rail/track';
import { Chaos } from './chaos.js';
import { openLedger, type LedgerWriter } from './commit-ledger.js';
import { demoStore } from './demo-store.js';
import { Dispatcher } from './dispatcher.js';
import { checkLedgers } from './ledger-check.js';
import { LedgerReader, ledgerFileName, type WriterLedger } from './ledger-reader.js';
import { LiveView, type RedisView, type StoreHealth } from './live-view.js';
import { SimError } from './errors.js';
import { ModuleProcess, type Incarnation, type ModuleName } from './module-process.js';
import type { DemoOptions } from './options.js';
import { seededRandom } from './prng.js';
import { quantiles } from './quantiles.js';
import { RunObserver } from './run-observer.js';
import type { DemoSummary, ProcessSummary, TrainSummary } from './summary.js';
import { freshTrains, legacyTrains } from './train-queue.js';

export interface DemoIo {
  /** Where the live view goes (a TTY gets the in-place view). null: no view. */
  view: NodeJS.WriteStream | null;
  /** One-off lines for people (seed, import report); never the JSON summary. */
  log: (line: string) => void;
}

const MODULES: ModuleName[] = ['train-model', 'wayside', 'controller'];
/** Simulated time that must pass without progress before the run is declared stalled, in wall ms. */
const STALL_MS = 20_000;
const VIEW_EVERY_MS = 250;
/** How often the parent asks Redis for its health (persistence, ping, last writer) for the view, ms. */
const REDIS_HEALTH_EVERY_MS = 1_000;

/**
 * Runs the sample app: a fresh shared file, the three modules as separate OS processes, trains
 * dispatched from the yard, optional chaos; returns the summary once `durationS` of simulated time
 * has passed (or the run could not go on, which the summary says).
 */
export async function runDemo(options: DemoOptions & { trainsExplicit: boolean }, io: DemoIo): Promise<DemoSummary> {
  const startedAtMs = performance.now();
  const loaded = loadBuiltinLine(options.line);
  const route = loaded.route;
  const queue = options.from === null ? freshTrains(options.trains, options.line) : await fromLegacy();
  async function fromLegacy() {
    const legacy = await legacyTrains(options.from as string, options.line, options.trainsExplicit ? options.trains : null);
    io.log(`--from ${options.from}: ${legacy.trains.length} trains through the legacy importer\n${legacy.reportText}`);
    return legacy.trains;
  }

  const target = demoStore(options.store, options.ledgerDir);
  await target.prepare(io.log);
  // Damaged copies an earlier run left are that run's evidence: kept, and not counted for this one.
  const damagedBefore = new Set(target.damagedCopies() ?? []);
  const ledgerDir = target.ledgerDir;
  const store = target.open('dispatcher', () => emptyTrainData());
  // The document must exist before the modules open it; this first write is the run's starting
  // point, not one of the run's counted commits (on Redis it follows whatever revision the key had).
  const baseRevision = (await store.write(emptyTrainData())).revision;
  const ledger = openLedger(store, join(ledgerDir, ledgerFileName('dispatcher', process.pid)));
  // The dashboard's controls are commits too: its own handle and ledger keep the lost-update check whole.
  let dashboard: { handle: DashboardHandle; ledger: LedgerWriter } | null = null;
  if (options.dashboard) {
    const dashboardLedger = openLedger(target.open('dashboard'), join(ledgerDir, ledgerFileName('dashboard', process.pid)));
    try {
      const handle = await startDashboard({ doc: dashboardLedger.doc, port: options.port, layouts: new Map([[options.line, loaded]]) });
      dashboard = { handle, ledger: dashboardLedger };
      io.log(`dashboard: ${handle.url} (open until the summary)`);
    } catch (error) {
      dashboardLedger.close();
      await dashboardLedger.doc.close();
      ledger.close();
      await store.close();
      throw new SimError('DASHBOARD_FAILED', `could not start the dashboard on port ${options.port}: ${(error as Error).message}`, { cause: error });
    }
  }
  let redis: RedisView | null = null;

  const failures: string[] = [];
  const modules = MODULES.map(
    (m) => new ModuleProcess(m, { store: target.url, speed: options.speed, periodS: options.periodS, line: options.line, ledgerDir }),
  );
  const reader = new LedgerReader(ledgerDir);
  const observer = new RunObserver(route);
  const dispatcher = new Dispatcher(ledger.doc, [...queue], options.headwayS, route);
  let latest: TrainData | null = null;
  let watchErrors = 0;
  let simTimeS = 0;
  let lastProgressAtMs = performance.now();
  const revisionHistory: { atMs: number; revision: number }[] = [];

  let finish: (reason: string | null) => void = () => undefined;
  const finished = new Promise<string | null>((resolve) => {
    finish = resolve;
  });
  const onSigint = () => finish(`interrupted (Ctrl-C) at ${simTimeS.toFixed(1)} s of simulated time`);
  process.once('SIGINT', onSigint);

  let chaos: Chaos | null = null;
  let unwatch: () => void = () => undefined;
  const timers: NodeJS.Timeout[] = [];
  try {
    await Promise.all(modules.map((m) => m.start()));
    unwatch = store.watch(
      (snapshot) => {
        const doc = snapshot.value;
        latest = doc;
        observer.observe(doc);
        const now = performance.now();
        revisionHistory.push({ atMs: now, revision: doc.revision });
        while ((revisionHistory[0]?.atMs ?? now) < now - 1000) revisionHistory.shift();
        if ((doc.simTimeS ?? 0) > simTimeS) {
          simTimeS = doc.simTimeS ?? 0;
          lastProgressAtMs = now;
        }
        dispatcher.consider(doc)?.catch((error: unknown) => {
          failures.push(`the dispatcher could not add a train: ${(error as Error).message}`);
          finish('dispatch failed');
        });
        if (simTimeS >= options.durationS) finish(null);
      },
      {
        onError: (error) => {
          watchErrors += 1;
          io.log(`watching ${target.display} failed: ${error.message}`);
        },
      },
    );
    if (options.chaos) {
      // Gaps scale with the run's wall length so that even a short run sees a handful of kills.
      const wallMs = (options.durationS / options.speed) * 1000;
      chaos = new Chaos(modules, {
        random: seededRandom(options.seed),
        minGapMs: Math.max(300, wallMs / 20),
        maxGapMs: Math.max(900, wallMs / 6),
        maxRestartDelayMs: 200,
        simTimeS: () => simTimeS,
        startedAtMs,
        onKill: (k) => io.log(`chaos: SIGKILL ${k.module} pid ${k.pid} at ${k.atSimS.toFixed(1)} s sim, restarted as pid ${k.restartedPid} after ${((k.outageMs ?? 0) / 1000).toFixed(2)} s wall`),
      });
      io.log(`chaos: seed ${options.seed} (replay with --chaos --seed ${options.seed})`);
      chaos.start();
    }
    timers.push(
      setInterval(() => {
        if (performance.now() - lastProgressAtMs > STALL_MS) finish(`simulated time stalled at ${simTimeS.toFixed(1)} s for ${STALL_MS / 1000} s of wall time`);
        for (const m of modules) {
          if (m.crashed) finish(`the ${m.module} process crashed by itself (exit code ${m.incarnations.at(-1)?.exitCode}): ${m.incarnations.at(-1)?.stderr.trim() || 'no stderr'}`);
        }
      }, 500),
    );
    const view = io.view === null ? null : new LiveView(io.view, route, 60);
    if (view !== null) {
      if (target.kind === 'redis') {
        let asking = false;
        timers.push(
          setInterval(() => {
            if (asking) return;
            asking = true;
            target
              .health()
              .then((h) => {
                if (h !== null) redis = redisView(h);
              })
              .catch((error: unknown) => {
                redis = { ...(redis ?? emptyRedisView()), error: `asking Redis for its health failed: ${(error as Error).message}` };
              })
              .finally(() => {
                asking = false;
              });
          }, REDIS_HEALTH_EVERY_MS),
        );
      }
      timers.push(
        setInterval(() => {
          if (latest !== null) view.draw({ doc: latest, durationS: options.durationS, speed: options.speed, file: target.display, health: health(latest, reader.poll(), chaos?.kills.length ?? 0, updatesPerS(revisionHistory), redis) });
        }, VIEW_EVERY_MS),
      );
    }
    const reason = await finished;
    if (reason !== null) failures.push(`the run ended early: ${reason}`);
  } finally {
    process.off('SIGINT', onSigint);
    for (const t of timers) clearInterval(t);
    await chaos?.stop();
    await Promise.all(modules.map((m) => (m.pid === null ? Promise.resolve() : m.stop())));
    unwatch();
    // Closed before the final read so that no control can commit after it (it would look lost).
    if (dashboard !== null) {
      await dashboard.handle.close();
      dashboard.ledger.close();
      await dashboard.ledger.doc.close();
    }
    ledger.close();
    await store.close();
  }
  if (latest !== null && io.view !== null) {
    const finalRedis = target.kind === 'redis' ? await target.health().then((h) => (h === null ? redis : redisView(h))) : null;
    new LiveView(io.view, route, 0).draw({ doc: latest, durationS: options.durationS, speed: options.speed, file: target.display, health: health(latest, reader.poll(), chaos?.kills.length ?? 0, updatesPerS(revisionHistory), finalRedis) });
  }

  // Everything below reads what the processes left behind, after all of them have exited.
  const parsed = await target.readFinal();
  let corruptReads = watchErrors;
  if (!parsed.ok) {
    corruptReads += 1;
    failures.push(`the final document cannot be read: ${parsed.message}`);
  }
  const final = parsed.ok ? parsed.value : (latest ?? emptyTrainData());
  const ledgers = reader.finish();
  const incarnations = modules.flatMap((m) => m.incarnations);
  const killed = new Set(incarnations.filter((i) => i.killed).map((i) => i.pid));
  const commits = checkLedgers(ledgers, baseRevision, parsed.ok ? parsed.value.revision : -1, killed);
  const events = sumEvents(ledgers);
  const storeErrorEvents = Object.entries(events)
    .filter(([k]) => k.startsWith('error:'))
    .reduce((n, [, v]) => n + v, 0);
  const runnerErrors = incarnations.reduce((n, inc) => n + (inc.runner?.errors ?? ledgers.find((l) => l.pid === inc.pid)?.runnerErrors.length ?? 0), 0);
  corruptReads += (events.restore ?? 0) + (events['error:CORRUPT'] ?? 0);
  const tempFilesLeft = target.tempFilesLeft();
  const damagedCopies = target.damagedCopies()?.filter((p) => !damagedBefore.has(p)) ?? null;

  const trains: TrainSummary[] = Object.entries(final.trains).map(([id, t]) => {
    const o = observer.trains.get(id);
    return {
      id,
      stationsServed: t.model?.stationsServed ?? 0,
      stations: o?.stations ?? [],
      distanceM: t.model?.distanceM ?? 0,
      maxSpeedMps: Math.max(o?.maxSpeedMps ?? 0, t.model?.speedMps ?? 0),
      maxOverLimitMps: o?.maxOverLimitMps ?? 0,
      authorityOverrunM: Math.max(o?.maxOverrunM ?? 0, t.model?.authorityOverrunM ?? 0),
      firstOverrun: o?.firstOverrun ?? null,
      powerResets: o?.powerResets ?? 0,
    };
  });
  const authorityOverruns = trains.filter((t) => t.authorityOverrunM > 0).length;
  const powerResets = trains.reduce((n, t) => n + t.powerResets, 0);
  const processes: ProcessSummary[] = incarnations.map((inc: Incarnation) => ({
    module: inc.module,
    pid: inc.pid,
    killed: inc.killed,
    exitCode: inc.exitCode,
    ticks: inc.runner?.ticks ?? null,
    commits: inc.runner?.commits ?? null,
    errors: inc.runner?.errors ?? null,
  }));
  const unclean = incarnations.filter((i) => !i.killed && i.runner === null);
  const chaosKills = new Set(chaos?.kills.map((k) => k.pid) ?? []);
  const forced = incarnations.filter((i) => i.killed && !chaosKills.has(i.pid));

  if (authorityOverruns > 0) failures.push(`${authorityOverruns} train(s) overran their authority`);
  if (storeErrorEvents + runnerErrors > 0) failures.push(`${storeErrorEvents + runnerErrors} write error(s): ${describeErrors(ledgers, events)}`);
  if (powerResets > 0) failures.push(`${powerResets} power command reset(s) to 0 by a writer other than the controller`);
  if (commits.lostUpdates > 0) {
    failures.push(
      `${commits.lostUpdates} lost update(s): duplicate revisions [${commits.duplicateRevisions.slice(0, 10).join(', ')}], unaccounted [${commits.unaccountedRevisions.slice(0, 10).join(', ')}], outside the file [${commits.revisionsBeyondFinal.slice(0, 10).join(', ')}]`,
    );
  }
  if (corruptReads > 0 || (damagedCopies?.length ?? 0) > 0) {
    // The run cannot tell bytes written from outside from a write of its own that tore, so a repair
    // stays a failed invariant; the sentence says what was lost and where the evidence is.
    const repairs =
      damagedCopies !== null && damagedCopies.length > 0
        ? `; the file was found damaged and restored from its backup ${damagedCopies.length} time(s), each time losing the one commit the damaged bytes replaced (damaged copies kept at ${damagedCopies.join(', ')}): something outside the run wrote to the file, or a write tore`
        : '';
    failures.push(`${corruptReads} corrupt read(s) (restores from backup, CORRUPT errors, failed watches)${repairs}`);
  }
  if (tempFilesLeft !== null && tempFilesLeft > 0) failures.push(`${tempFilesLeft} temp file(s) left next to ${target.display}`);
  for (const i of unclean) failures.push(`the ${i.module} process (pid ${i.pid}) did not stop cleanly (exit code ${i.exitCode}): ${i.stderr.trim() || 'no stderr'}`);
  for (const i of forced) failures.push(`the ${i.module} process (pid ${i.pid}) did not stop within its timeout and was killed`);
  const badLines = ledgers.reduce((n, l) => n + l.badLines, 0);
  if (badLines > 0) io.log(`note: ${badLines} malformed ledger line(s) (a process killed mid-line)`);

  const all = ledgers.flatMap((l) => l.latenciesMs);
  return {
    ok: failures.length === 0,
    failures,
    store: target.display,
    storeKind: target.kind,
    line: options.line,
    requestedTrains: queue.length,
    routeEndsAtBlock: route.loopsTo === null ? (route.steps.at(-1)?.block ?? null) : null,
    durationS: options.durationS,
    simTimeS: final.simTimeS ?? simTimeS,
    wallS: (performance.now() - startedAtMs) / 1000,
    speed: options.speed,
    chaos: options.chaos ? { seed: options.seed, kills: chaos?.kills ?? [] } : null,
    trains,
    stationsServed: trains.reduce((n, t) => n + t.stationsServed, 0),
    authorityOverruns,
    writeErrors: { storeErrorEvents, runnerErrors, total: storeErrorEvents + runnerErrors },
    powerResets,
    observed: { revisions: observer.revisionsSeen, attributable: observer.attributable, total: commits.finalRevision - baseRevision },
    lostUpdates: commits.lostUpdates,
    corruptReads,
    tempFilesLeft,
    damagedCopies,
    updateLatencyMs: quantiles(all),
    lockWaitMs: quantiles(ledgers.flatMap((l) => l.lockWaitsMs)),
    storeEvents: events,
    commits,
    processes,
  };
}

function sumEvents(ledgers: WriterLedger[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const l of ledgers) for (const [k, v] of Object.entries(l.events)) out[k] = (out[k] ?? 0) + v;
  return out;
}

function describeErrors(ledgers: WriterLedger[], events: Record<string, number>): string {
  const codes = Object.entries(events)
    .filter(([k]) => k.startsWith('error:'))
    .map(([k, v]) => `${k.slice(6)} ×${v}`);
  const runner = ledgers.flatMap((l) => l.runnerErrors.map((m) => `${l.module}: ${m}`)).slice(0, 3);
  return [...codes, ...runner].join('; ') || 'see the processes’ final stats';
}

function updatesPerS(history: { atMs: number; revision: number }[]): number {
  const first = history[0];
  const last = history[history.length - 1];
  if (first === undefined || last === undefined || last.atMs <= first.atMs) return 0;
  return (last.revision - first.revision) / ((last.atMs - first.atMs) / 1000);
}

function health(doc: TrainData, ledgers: WriterLedger[], kills: number, rate: number, redis: RedisView | null): StoreHealth {
  const events = sumEvents(ledgers);
  return {
    redis,
    revision: doc.revision,
    updatesPerS: rate,
    lockWaitP99Ms: quantiles(ledgers.flatMap((l) => l.lockWaitsMs)).p99,
    retries: events.retry ?? 0,
    restores: events.restore ?? 0,
    errors: Object.entries(events)
      .filter(([k]) => k.startsWith('error:'))
      .reduce((n, [, v]) => n + v, 0),
    kills,
  };
}

function redisView(h: RedisHealth): RedisView {
  return {
    pingMs: h.pingMs,
    appendfsync: h.persistence?.appendfsync ?? null,
    aof: h.persistence?.aof ?? null,
    everyAckDurable: h.persistence?.everyAckDurable ?? false,
    lastWriter: h.lastWriter?.label ?? null,
    historyLength: h.historyLength,
    error: h.error,
  };
}

function emptyRedisView(): RedisView {
  return { pingMs: null, appendfsync: null, aof: null, everyAckDurable: false, lastWriter: null, historyLength: null, error: null };
}
