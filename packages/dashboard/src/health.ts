import type { StoreEvent, StoreStats } from '@rail/atomic-file';
import { SampleWindow } from './quantiles.js';
import type { DocErrorView, HealthView, LineProblem, LockOwnerView, QuantilesView, StoreEventView } from './protocol.js';
import { messageOf } from './errors.js';

const RATE_WINDOW_MS = 10_000;
const RECENT_EVENTS = 20;

function quantilesOf(q: { count: number; p50: number; p99: number; max: number }): QuantilesView {
  return q.count === 0 ? { count: 0, p50: null, p99: null, max: null } : { count: q.count, p50: q.p50, p99: q.p99, max: q.max };
}

/** Describes a store event in one line for the page's event log. */
export function describeStoreEvent(event: StoreEvent): string {
  switch (event.type) {
    case 'retry':
      return `${event.op} retry #${event.attempt} after ${event.code}, waiting ${event.delayMs} ms`;
    case 'restore':
      return `restored ${event.path} from ${event.from}: ${event.reason}${event.quarantinedTo ? ` (bad copy kept at ${event.quarantinedTo})` : ''}`;
    case 'stale-lock':
      return `took over a stale lock (${event.reason}, ${Math.round(event.ageMs)} ms old)`;
    case 'slow-lock':
      return `waited ${Math.round(event.waitedMs)} ms for the lock${event.owner ? ` held by pid ${event.owner.pid}${event.owner.label ? ` (${event.owner.label})` : ''}` : ''}`;
    case 'swept':
      return `swept ${event.path}: ${event.reason}`;
    case 'commit':
      return `committed revision ${event.revision}`;
    case 'error':
      return `${event.code}: ${event.message}`;
  }
}

/**
 * Everything the health panel shows, kept by the server from what the store tells it: revision
 * arrivals (watch), observability events (onEvent), its own stats and the lock file.
 */
export class HealthTracker {
  revision: number | null = null;
  private lastRevisionAtMs: number | null = null;
  private readonly arrivals: number[] = [];
  private readonly propagation = new SampleWindow(1000);
  private readonly events: StoreEventView[] = [];
  docError: DocErrorView | null = null;
  lockOwner: LockOwnerView | null = null;
  lockOwnerStatus: HealthView['lockOwnerStatus'] = 'n/a';
  lockOwnerError: string | null = null;
  lineProblems: LineProblem[] = [];
  private readonly startedAtMs = Date.now();

  constructor(
    private readonly location: string,
    private readonly staleAfterMs: number,
    private readonly stats: () => StoreStats,
  ) {}

  /** A new good revision arrived; `updatedAt` is the writer's commit time (ISO). */
  revisionArrived(revision: number, updatedAt: string, nowMs: number): void {
    this.revision = revision;
    this.lastRevisionAtMs = nowMs;
    this.arrivals.push(nowMs);
    while (this.arrivals.length > 0 && (this.arrivals[0] ?? nowMs) < nowMs - RATE_WINDOW_MS) this.arrivals.shift();
    const committedAt = Date.parse(updatedAt);
    // A writer on a skewed clock would give negative delays; those say nothing about latency.
    if (Number.isFinite(committedAt) && nowMs >= committedAt) this.propagation.add(nowMs - committedAt);
    this.docError = null;
  }

  setDocError(error: Omit<DocErrorView, 'at'>, nowMs: number): void {
    this.docError = { ...error, at: new Date(nowMs).toISOString() };
    this.note('doc-error', `${error.source}: ${error.message}`, nowMs);
  }

  note(type: string, text: string, nowMs: number): void {
    this.events.push({ at: new Date(nowMs).toISOString(), type, text });
    if (this.events.length > RECENT_EVENTS) this.events.shift();
  }

  storeEvent(event: StoreEvent, nowMs: number): void {
    // Commits are already visible as revisions; logging each would push the rare, telling events out.
    if (event.type === 'commit') return;
    this.note(event.type, describeStoreEvent(event), nowMs);
    if (event.type === 'restore') {
      this.setDocError({ source: 'restore', message: describeStoreEvent(event), issues: [] }, nowMs);
    }
  }

  view(nowMs: number, clients: number): HealthView {
    while (this.arrivals.length > 0 && (this.arrivals[0] ?? nowMs) < nowMs - RATE_WINDOW_MS) this.arrivals.shift();
    let stats: StoreStats | null = null;
    let statsError: string | null = null;
    try {
      stats = this.stats();
    } catch (error) {
      statsError = `Reading the store's stats failed: ${messageOf(error)}`;
    }
    const since = this.lastRevisionAtMs === null ? null : nowMs - this.lastRevisionAtMs;
    const none: QuantilesView = { count: 0, p50: null, p99: null, max: null };
    return {
      now: new Date(nowMs).toISOString(),
      location: this.location,
      revision: this.revision,
      lastRevisionAt: this.lastRevisionAtMs === null ? null : new Date(this.lastRevisionAtMs).toISOString(),
      sinceLastRevisionMs: since,
      stale: since !== null && since > this.staleAfterMs,
      // Over the time actually watched, so the first seconds do not read as a slow simulation.
      revisionRatePerS: this.arrivals.length / (Math.max(1000, Math.min(RATE_WINDOW_MS, nowMs - this.startedAtMs)) / 1000),
      propagationMs: this.propagation.quantiles(),
      updateLatencyMs: stats ? quantilesOf(stats.updateLatencyMs) : none,
      lockWaitMs: stats ? quantilesOf(stats.lockWaitMs) : none,
      retries: stats?.retries ?? 0,
      restores: stats?.restores ?? 0,
      errors: stats?.errors ?? 0,
      staleTakeovers: stats?.staleTakeovers ?? 0,
      statsError,
      lockOwner: this.lockOwner,
      lockOwnerStatus: this.lockOwnerStatus,
      lockOwnerError: this.lockOwnerError,
      docError: this.docError,
      recentEvents: [...this.events].reverse(),
      lineProblems: this.lineProblems,
      clients,
    };
  }
}
