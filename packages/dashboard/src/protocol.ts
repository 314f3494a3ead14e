/**
 * What the server sends the page (Server-Sent Events and /api/state). Types only: the page's bundle
 * imports them, so the two sides cannot drift apart.
 */
import type { TrainData } from '@rail/schema';
import type { SeriesColumns, SeriesPoint } from './history.js';
import type { DashboardIssue } from './errors.js';

export interface BlockView {
  number: number;
  section: string;
  lengthM: number;
  speedLimitMps: number;
  /** Station name, null when the block has none. */
  station: string | null;
}

export interface RouteStepView {
  index: number;
  block: number;
  /** As @rail/track names it (e.g. forward / backward, or +1 / -1). */
  direction: string | number;
  startM: number;
  lengthM: number;
}

export interface LineView {
  line: string;
  /** Blocks in block-number order. */
  blocks: BlockView[];
  /** The route, when the layout came with one. */
  route: RouteStepView[];
}

export interface LineProblem {
  line: string;
  message: string;
}

export interface QuantilesView {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

export interface LockOwnerView {
  pid: number;
  host: string;
  label: string | null;
  /** Wall-clock ms since epoch the lock was taken (the holder's clock). */
  acquiredAt: number;
}

export interface DocErrorView {
  /** What went wrong, as the store or the validator said it. */
  message: string;
  /** Where the error came from: the store's watch, the dashboard's own validation, a restore from backup. */
  source: 'watch' | 'validation' | 'restore';
  /** ISO time the dashboard saw it. */
  at: string;
  issues: DashboardIssue[];
}

export interface StoreEventView {
  at: string;
  type: string;
  text: string;
}

export interface HealthView {
  now: string;
  location: string;
  /** Revision of the last good document, null before the first one. */
  revision: number | null;
  lastRevisionAt: string | null;
  sinceLastRevisionMs: number | null;
  /** No new revision for longer than `staleAfterMs`. */
  stale: boolean;
  /** Revisions per second over the last 10 s. */
  revisionRatePerS: number;
  /** Commit-to-dashboard delay: arrival time minus the document's `updatedAt` (same host clocks), ms. */
  propagationMs: QuantilesView;
  /** Call-to-durable latency of this dashboard's own updates (the store's stats), ms. */
  updateLatencyMs: QuantilesView;
  /** Lock wait of this dashboard's own updates (the store's stats), ms. */
  lockWaitMs: QuantilesView;
  retries: number;
  restores: number;
  errors: number;
  staleTakeovers: number;
  /** Set when the store's stats could not be read. */
  statsError: string | null;
  lockOwner: LockOwnerView | null;
  /** 'n/a' when the store has no lock file to read (e.g. Redis). */
  lockOwnerStatus: 'held' | 'free' | 'n/a' | 'error';
  lockOwnerError: string | null;
  docError: DocErrorView | null;
  recentEvents: StoreEventView[];
  lineProblems: LineProblem[];
  clients: number;
}

/** First message on every connection: everything needed to draw the page from scratch. */
export interface HelloMessage {
  startedAt: string;
  location: string;
  historyCapacity: number;
  lines: Record<string, LineView>;
  /** Per train, the decimated series since the dashboard started. */
  history: Record<string, SeriesColumns>;
  snapshot: { revision: number; value: TrainData } | null;
  health: HealthView;
}

/** One committed revision, pushed once. */
export interface RevisionMessage {
  revision: number;
  value: TrainData;
  /** The point each train added to its series (trains without simulated time are absent). */
  points: Record<string, SeriesPoint>;
}

export interface OperatorRefusal {
  error: string;
  code: string;
  issues: DashboardIssue[];
}

export type { SeriesColumns, SeriesPoint };
