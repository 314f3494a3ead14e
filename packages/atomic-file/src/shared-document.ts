/**
 * The store-neutral contract: what the module runners, the sample app and the CLI depend on.
 * `@rail/atomic-file` implements it on one local file; `@rail/redis-store` on a Redis key.
 */

/** A committed state of the document. */
export interface Snapshot<T> {
  readonly value: T;
  /** The document's revision counter (0 when the value carries none). */
  readonly revision: number;
}

/** What `update` and `write` resolve with once the change is durable. */
export interface Commit<T> extends Snapshot<T> {
  /** Milliseconds spent waiting for the cross-process lock (or on optimistic retries). */
  readonly lockWaitMs: number;
  /** Milliseconds from the call to the durable commit. */
  readonly latencyMs: number;
}

/** `fn` may mutate the draft in place and return nothing, or return a new value. */
export type Updater<T> = (draft: T) => T | void | Promise<T | void>;

export interface UpdateOptions {
  /** Give up (typed LOCK_TIMEOUT error, nothing written) after this many ms. Defaults to the store's. */
  timeoutMs?: number;
}

export type WatchListener<T> = (snapshot: Snapshot<T>) => void;

export interface WatchOptions {
  /** Deliver the current committed state right away. Default true. */
  immediate?: boolean;
  /** Called when watching hits an error it cannot recover from by itself (it keeps trying). */
  onError?: (error: Error) => void;
}

/** Observability events: nothing the store does to recover happens silently. */
export type StoreEvent =
  | { type: 'retry'; op: string; attempt: number; delayMs: number; code: string; path: string }
  | { type: 'restore'; path: string; from: string; quarantinedTo: string | null; reason: string }
  | { type: 'stale-lock'; path: string; owner: LockOwner | null; reason: string; ageMs: number }
  | { type: 'slow-lock'; path: string; waitedMs: number; owner: LockOwner | null }
  | { type: 'swept'; path: string; reason: string }
  | { type: 'commit'; path: string; revision: number; updates: number }
  | { type: 'error'; path: string; code: string; message: string };

/** Who holds (or held) a lock. */
export interface LockOwner {
  pid: number;
  host: string;
  token: string;
  /** Wall-clock ms since epoch when the lock was taken (informational: staleness is judged by the waiter's own clock). */
  acquiredAt: number;
  /** Free-form label of the holder, e.g. the module name. */
  label?: string;
}

export interface Quantiles {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

export interface StoreStats {
  /** Committed writes made by this handle (each raised the revision by one). */
  commits: number;
  /** `update`/`write` calls resolved successfully (>= commits when calls were coalesced). */
  updates: number;
  retries: number;
  restores: number;
  staleTakeovers: number;
  errors: number;
  /** Lock wait per commit, ms. */
  lockWaitMs: Quantiles;
  /** Call-to-durable latency per update, ms. */
  updateLatencyMs: Quantiles;
}

export interface SharedDocument<T> {
  /** Where the document lives: a file path or a URL. */
  readonly location: string;
  /** The current committed state (validated; restored from backup if the primary is bad). */
  read(): Promise<Snapshot<T>>;
  /** Atomic read-modify-write across processes: no lost update. */
  update(fn: Updater<T>, options?: UpdateOptions): Promise<Commit<T>>;
  /** Replaces the whole document (still under the lock, still validated, revision still increases). */
  write(value: T, options?: UpdateOptions): Promise<Commit<T>>;
  /** Called once per newly committed revision (by any process). Returns an unsubscribe function. */
  watch(listener: WatchListener<T>, options?: WatchOptions): () => void;
  /** Observability hook; returns an unsubscribe function. */
  onEvent(listener: (event: StoreEvent) => void): () => void;
  stats(): StoreStats;
  /** Waits for queued updates, stops watchers and timers. Later calls reject with code CLOSED. */
  close(): Promise<void>;
}
