import { basename, dirname } from 'node:path';
import { publish, quarantine, syncTargetDirectory, type Published, type WriteContext } from './atomic-write.js';
import { AtomicFileError, describeCause, errnoCode } from './errors.js';
import { nodeFileSystem, type FileSystemLayer } from './fs-layer.js';
import { HOST_HASH, isPidAlive } from './host.js';
import { FileLock, type HeldLock, type LockSettings } from './lock.js';
import { findLeftovers, quarantinePath, resolveTarget } from './paths.js';
import { identityOf, loadDocument, validationProblem, type FileIdentity, type ReaderContext, type Validator } from './read-document.js';
import { resolveRetryPolicy, type RetryPolicy } from './retry-policy.js';
import { RevisionWatcher } from './revision-watcher.js';
import { SampleRing } from './sample-ring.js';
import type { Commit, SharedDocument, Snapshot, StoreEvent, StoreStats, UpdateOptions, Updater, WatchListener, WatchOptions } from './shared-document.js';

export interface JsonFileOptions<T> {
  /** Checked on every read and before every write; `@rail/schema`'s `isTrainData` fits. */
  validate?: Validator;
  /** The initial value, used only when the file does not exist yet (and has no backup). */
  create?: () => T;
  /** Key of the revision counter raised on every committed write. Default 'revision'; false: none. */
  revisionKey?: string | false;
  /** Key set to the commit's ISO 8601 UTC time. Default 'updatedAt'; false: none. */
  updatedAtKey?: string | false;
  /** 'durable' (default): fsync temp file and directory. 'relaxed': no fsyncs (atomic, not power-safe). */
  durability?: 'durable' | 'relaxed';
  /** Keep `<file>.backup` (the last good state). Default true. */
  backup?: boolean;
  retry?: Partial<RetryPolicy>;
  lock?: { timeoutMs?: number; staleMs?: number; heartbeatMs?: number; label?: string; slowLockMs?: number };
  fs?: FileSystemLayer;
  onEvent?: (event: StoreEvent) => void;
  /** Safety-net poll of `watch`, ms. Default 1000. */
  watchPollMs?: number;
  /** JSON indentation of the written file. Default 2 (people read this file). */
  indent?: number;
  /** Leftovers of dead processes are swept at most this often, ms. Default 5000. */
  sweepIntervalMs?: number;
}

export interface JsonFile<T> extends SharedDocument<T> {
  /** The file actually written: `location` with its symlinks followed. */
  readonly path: string;
  /** Removes temp files and lock leftovers of dead processes on this host now. Returns how many. */
  sweep(): number;
}

interface Pending<T> {
  kind: 'update' | 'write';
  fn: Updater<T> | undefined;
  value: T | undefined;
  calledAt: number;
  deadline: number;
  settled: boolean;
  resolve(commit: Commit<T>): void;
  reject(error: unknown): void;
}

interface Cached<T> {
  identity: FileIdentity;
  value: T;
  revision: number;
  mode: number | undefined;
}

interface Base<T> {
  /** undefined: the file does not exist and there is no `create`. */
  value: T | undefined;
  revision: number;
  /** Identity of the primary at the start of the critical section (null: missing), for fencing. */
  identity: FileIdentity | null;
  mode: number | undefined;
  /** The primary is a good committed state worth keeping as the backup. */
  primaryIsGood: boolean;
  /** `value` was parsed by this handle and nobody else holds it (not `create()`'s object). */
  owned: boolean;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_STALE_MS = 5_000;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

/** Mistakes in the options are reported when the file is opened, not at the first update. */
function checkOptions(location: unknown, options: JsonFileOptions<unknown>): void {
  const bad = (what: string) => new AtomicFileError('INVALID_OPTIONS', `openJsonFile: ${what}; fix the call.`, { path: String(location), operation: 'open' });
  if (typeof location !== 'string' || location.trim() === '') throw bad(`the path must be a non-empty string (got ${JSON.stringify(location)})`);
  for (const key of ['create', 'validate', 'onEvent'] as const) {
    const value = options[key];
    if (value !== undefined && typeof value !== 'function') {
      throw bad(`option ${key} must be a function (got ${typeof value})${key === 'create' ? ': pass create: () => initialValue' : ''}`);
    }
  }
  if (options.durability !== undefined && options.durability !== 'durable' && options.durability !== 'relaxed') {
    throw bad(`option durability must be 'durable' or 'relaxed' (got ${JSON.stringify(options.durability)})`);
  }
}

class JsonFileStore<T> implements JsonFile<T> {
  readonly location: string;
  readonly path: string;
  private readonly fs: FileSystemLayer;
  private readonly retry: RetryPolicy;
  private readonly validate: Validator | undefined;
  private readonly create: (() => T) | undefined;
  private readonly revisionKey: string | false;
  private readonly updatedAtKey: string | false;
  private readonly durable: boolean;
  private readonly keepBackup: boolean;
  private readonly indent: number;
  private readonly timeoutMs: number;
  private readonly sweepIntervalMs: number;
  private readonly lock: FileLock;
  private readonly watcher: RevisionWatcher<T>;
  private readonly listeners = new Set<(event: StoreEvent) => void>();
  private readonly ctx: ReaderContext & WriteContext;

  private queue: Pending<T>[] = [];
  private draining: Promise<void> | null = null;
  private cache: Cached<T> | null = null;
  /** The highest revision this handle has read or written: a repair must continue past it. */
  private highestSeenRevision = 0;
  private closed = false;
  private lastSweep = -Infinity;
  private sweepDue = true;

  private readonly counters = { commits: 0, updates: 0, retries: 0, restores: 0, staleTakeovers: 0, errors: 0 };
  private readonly lockWaits = new SampleRing();
  private readonly latencies = new SampleRing();

  constructor(location: string, options: JsonFileOptions<T>) {
    checkOptions(location, options);
    this.location = location;
    this.fs = options.fs ?? nodeFileSystem;
    this.path = resolveTarget(location, this.fs);
    this.retry = resolveRetryPolicy(options.retry, this.path);
    this.validate = options.validate;
    this.create = options.create;
    this.revisionKey = options.revisionKey ?? 'revision';
    this.updatedAtKey = options.updatedAtKey ?? 'updatedAt';
    this.durable = (options.durability ?? 'durable') === 'durable';
    this.keepBackup = options.backup ?? true;
    this.indent = options.indent ?? 2;
    this.sweepIntervalMs = options.sweepIntervalMs ?? 5_000;
    if (options.onEvent !== undefined) this.listeners.add(options.onEvent);

    const staleMs = options.lock?.staleMs ?? DEFAULT_STALE_MS;
    const settings: LockSettings = {
      timeoutMs: options.lock?.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      staleMs,
      heartbeatMs: options.lock?.heartbeatMs ?? Math.max(1, Math.floor(staleMs / 4)),
      label: options.lock?.label,
      slowLockMs: options.lock?.slowLockMs ?? 1_000,
    };
    if (!(settings.heartbeatMs < staleMs)) {
      throw new AtomicFileError('INVALID_OPTIONS', `@rail/atomic-file: lock.heartbeatMs (${settings.heartbeatMs}) must be below lock.staleMs (${staleMs}) for ${this.path}, or a live holder would look stale.`, { path: this.path, operation: 'open' });
    }
    this.timeoutMs = settings.timeoutMs;
    this.ctx = { target: this.path, fs: this.fs, retry: this.retry, validate: this.validate, durable: this.durable, emit: (event) => this.emit(event) };
    this.lock = new FileLock(this.path, this.fs, settings, {
      emit: (event) => this.emit(event),
      onStaleTakeover: () => {
        this.counters.staleTakeovers += 1;
        // A holder that died probably left a temp file behind.
        this.sweepDue = true;
      },
      onDeadLeftover: () => {
        this.sweepDue = true;
      },
    });
    this.watcher = new RevisionWatcher<T>({
      fs: this.fs,
      dir: dirname(this.path),
      basename: basename(this.path),
      pollMs: options.watchPollMs ?? 1_000,
      identity: () => this.currentIdentity(),
      read: () => this.readWithIdentity(),
    });
  }

  // ---- public API -------------------------------------------------------------------------

  async read(): Promise<Snapshot<T>> {
    const { snapshot } = await this.readWithIdentity();
    return snapshot;
  }

  update(fn: Updater<T>, options?: UpdateOptions): Promise<Commit<T>> {
    return this.enqueue('update', fn, undefined, options);
  }

  write(value: T, options?: UpdateOptions): Promise<Commit<T>> {
    return this.enqueue('write', undefined, value, options);
  }

  watch(listener: WatchListener<T>, options?: WatchOptions): () => void {
    if (this.closed) throw this.closedError('watch');
    return this.watcher.add(listener, options);
  }

  onEvent(listener: (event: StoreEvent) => void): () => void {
    this.listeners.add(listener);
    return () => {
      this.listeners.delete(listener);
    };
  }

  stats(): StoreStats {
    return { ...this.counters, lockWaitMs: this.lockWaits.quantiles(), updateLatencyMs: this.latencies.quantiles() };
  }

  async close(): Promise<void> {
    this.closed = true;
    while (this.draining !== null) await this.draining;
    this.watcher.close();
    this.lock.close();
  }

  sweep(): number {
    this.lastSweep = performance.now();
    this.sweepDue = false;
    let removed = 0;
    if (this.lock.clearIfOwnerDead()) removed += 1;
    for (const entry of findLeftovers(this.path, this.fs)) {
      if (entry.hostHash !== HOST_HASH || entry.pid === process.pid || isPidAlive(entry.pid)) continue;
      try {
        if (entry.kind === 'temp') this.fs.unlinkSync(entry.path);
        else this.removeStaging(entry.path);
      } catch (error) {
        if (errnoCode(error) === 'ENOENT') continue;
        this.emit({ type: 'error', path: this.path, code: errnoCode(error) ?? 'UNKNOWN', message: `could not sweep ${entry.path}: ${describeCause(error)}` });
        continue;
      }
      removed += 1;
      this.emit({ type: 'swept', path: entry.path, reason: `left by process ${entry.pid}, which is no longer running` });
    }
    return removed;
  }

  // ---- reading ----------------------------------------------------------------------------

  private currentIdentity(): FileIdentity | null {
    try {
      return identityOf(this.fs.statSync(this.path));
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return null;
      throw new AtomicFileError('READ_FAILED', `Could not stat ${this.path} (${describeCause(error)}). Check the directory permissions.`, {
        path: this.path,
        operation: 'stat',
        cause: error,
      });
    }
  }

  /** Lock-free read: never writes; a needed restore is reported as an event and done by the next update. */
  private async readWithIdentity(): Promise<{ snapshot: Snapshot<T>; identity: FileIdentity | null }> {
    if (this.closed) throw this.closedError('read');
    const cache = this.cache;
    if (cache !== null) {
      const identity = this.currentIdentity();
      if (identity !== null && sameCached(cache, identity)) {
        return { snapshot: { value: structuredClone(cache.value), revision: cache.revision }, identity };
      }
    }
    const loaded = await loadDocument<T>(this.ctx);
    if (loaded.kind === 'ok') {
      const revision = this.revisionOf(loaded.value);
      this.cache = { identity: loaded.identity, value: loaded.value, revision, mode: loaded.mode };
      this.highestSeenRevision = Math.max(this.highestSeenRevision, revision);
      return { snapshot: { value: structuredClone(loaded.value), revision }, identity: loaded.identity };
    }
    if (loaded.kind === 'restorable') {
      this.emit({ type: 'restore', path: this.path, from: loaded.backup, quarantinedTo: null, reason: `${loaded.reason}; served from the backup, repaired on the next update` });
      return { snapshot: { value: loaded.value, revision: this.revisionOf(loaded.value) }, identity: loaded.identity };
    }
    if (this.create !== undefined) {
      const value = this.create();
      return { snapshot: { value, revision: this.revisionOf(value) }, identity: null };
    }
    throw this.notFound('read');
  }

  private revisionOf(value: unknown): number {
    if (this.revisionKey === false || !isPlainObject(value)) return 0;
    const revision = value[this.revisionKey];
    return typeof revision === 'number' && Number.isFinite(revision) ? revision : 0;
  }

  /** The committed state at the start of a critical section (we hold the lock). */
  private async loadUnderLock(): Promise<Base<T>> {
    const identity = this.currentIdentity();
    const cache = this.cache;
    if (identity !== null && cache !== null && sameCached(cache, identity)) {
      return { value: cache.value, revision: cache.revision, identity, mode: cache.mode, primaryIsGood: true, owned: true };
    }
    this.cache = null;
    const loaded = await loadDocument<T>(this.ctx);
    if (loaded.kind === 'ok') {
      const revision = this.revisionOf(loaded.value);
      this.cache = { identity: loaded.identity, value: loaded.value, revision, mode: loaded.mode };
      this.highestSeenRevision = Math.max(this.highestSeenRevision, revision);
      return { value: loaded.value, revision, identity: loaded.identity, mode: loaded.mode, primaryIsGood: true, owned: true };
    }
    if (loaded.kind === 'restorable') {
      let quarantinedTo: string | null = null;
      if (loaded.identity !== null) {
        quarantinedTo = quarantinePath(this.path, new Date());
        await quarantine(this.ctx, quarantinedTo);
      }
      this.counters.restores += 1;
      this.emit({ type: 'restore', path: this.path, from: loaded.backup, quarantinedTo, reason: loaded.reason });
      // The backup already holds the state we continue from: the bad primary must not replace it.
      // The backup is one commit behind the primary it backed up, and readers may already have seen
      // that primary's revision: continue past it, so the repairing commit is a revision nobody
      // has seen and watchers deliver it (a reused number would be skipped as already known).
      const seen = Math.max(this.revisionOf(loaded.value) + 1, this.highestSeenRevision);
      return { value: loaded.value, revision: seen, identity: loaded.identity, mode: loaded.mode, primaryIsGood: false, owned: true };
    }
    if (this.create !== undefined) {
      const value = this.create();
      return { value, revision: this.revisionOf(value), identity: null, mode: undefined, primaryIsGood: false, owned: false };
    }
    return { value: undefined, revision: 0, identity: null, mode: undefined, primaryIsGood: false, owned: false };
  }

  // ---- the queue and the critical section ----------------------------------------------------

  private enqueue(kind: 'update' | 'write', fn: Updater<T> | undefined, value: T | undefined, options: UpdateOptions | undefined): Promise<Commit<T>> {
    if (this.closed) return Promise.reject(this.closedError(kind));
    if (kind === 'update' && typeof fn !== 'function') {
      return Promise.reject(new AtomicFileError('INVALID_OPTIONS', `update(fn) on ${this.path} needs a function (got ${typeof fn}); to replace the whole document use write(value).`, { path: this.path, operation: kind }));
    }
    const given = options?.timeoutMs;
    if (given !== undefined && !(typeof given === 'number' && given >= 0)) {
      return Promise.reject(new AtomicFileError('INVALID_OPTIONS', `${kind} on ${this.path}: timeoutMs must be a number of milliseconds >= 0 (got ${JSON.stringify(given)}).`, { path: this.path, operation: kind }));
    }
    return new Promise<Commit<T>>((resolve, reject) => {
      const calledAt = performance.now();
      const timeoutMs = options?.timeoutMs ?? this.timeoutMs;
      this.queue.push({ kind, fn, value, calledAt, deadline: calledAt + timeoutMs, settled: false, resolve, reject });
      this.kick();
    });
  }

  private kick(): void {
    if (this.draining !== null) return;
    this.draining = this.drain().finally(() => {
      this.draining = null;
      // An update queued after the loop's last check but before this callback would be stranded.
      if (this.queue.length > 0) this.kick();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      await this.runOneBatch();
      if (this.sweepDue || performance.now() - this.lastSweep >= this.sweepIntervalMs) this.sweepReporting();
    }
  }

  private releaseReporting(held: HeldLock): void {
    try {
      if (!this.lock.release(held)) {
        this.emit({ type: 'error', path: this.path, code: 'LOCK_COMPROMISED', message: `the lock on ${this.path} had already been taken over when this process released it` });
      }
    } catch (error) {
      this.emit({ type: 'error', path: this.path, code: errnoCode(error) ?? 'UNKNOWN', message: `releasing the lock on ${this.path} failed: ${describeCause(error)}; other processes recover it after lock.staleMs` });
    }
  }

  private sweepReporting(): void {
    try {
      this.sweep();
    } catch (error) {
      this.emit({ type: 'error', path: this.path, code: errnoCode(error) ?? 'UNKNOWN', message: `sweeping leftovers failed: ${describeCause(error)}` });
    }
  }

  private expireWaiters(waitedMs: number): boolean {
    const now = performance.now();
    const alive: Pending<T>[] = [];
    for (const pending of this.queue) {
      if (now >= pending.deadline) {
        this.fail(pending, new AtomicFileError('LOCK_TIMEOUT', this.lock.timeoutMessage(Math.max(waitedMs, now - pending.calledAt)), { path: this.path, operation: pending.kind }));
      } else {
        alive.push(pending);
      }
    }
    this.queue = alive;
    return alive.length === 0;
  }

  private async runOneBatch(): Promise<void> {
    const waitStart = performance.now();
    let held: HeldLock | null;
    try {
      held = await this.lock.acquire((waited) => this.expireWaiters(waited));
    } catch (error) {
      const batch = this.queue.splice(0);
      for (const pending of batch) this.fail(pending, error);
      return;
    }
    if (held === null) return;
    const acquiredAt = performance.now();
    const batch = this.queue.splice(0);
    let finish: (() => void) | null = null;
    try {
      this.fs.step?.('lock-acquired', this.path);
      finish = await this.commitBatch(held, batch, waitStart, acquiredAt);
    } catch (error) {
      for (const pending of batch) this.fail(pending, error);
    } finally {
      this.releaseReporting(held);
    }
    // The directory fsync and the freeing of the replaced backup need no lock: the next writer
    // starts its critical section while this one makes its commit durable (and concurrent
    // directory fsyncs share one journal commit).
    try {
      finish?.();
    } catch (error) {
      // settle() reports its own failures; anything else is a bug, and must not go unnoticed.
      this.emit({ type: 'error', path: this.path, code: errnoCode(error) ?? 'UNKNOWN', message: `completing the commit on ${this.path} failed: ${describeCause(error)}` });
      for (const pending of batch) this.fail(pending, error);
    }
  }

  /**
   * The critical section: load, apply, validate, publish. Returns what completes the commit once
   * the lock is released (durability, then the callers' promises), or null if nothing was published.
   */
  private async commitBatch(held: HeldLock, batch: Pending<T>[], waitStart: number, acquiredAt: number): Promise<(() => void) | null> {
    let base: Base<T>;
    try {
      base = await this.loadUnderLock();
    } catch (error) {
      // Never write after a failed read.
      for (const pending of batch) this.fail(pending, error);
      return null;
    }
    const revision = base.revision + 1;
    const stampedAt = new Date().toISOString();
    let current = base.value;
    let text = '';
    /** `current` was handed to an updater as its draft and no commit has replaced it since. */
    let currentLent = false;
    /** `current` may be handed to an updater as its draft (see below). */
    let currentOwned = base.owned;
    const accepted: Pending<T>[] = [];
    for (const pending of batch) {
      let candidate: unknown;
      if (pending.kind === 'write') {
        candidate = structuredClone(pending.value);
      } else {
        if (current === undefined) {
          this.fail(pending, this.notFound('update'));
          continue;
        }
        // The batch's last updater may change the committed state itself rather than a copy:
        // nothing needs that state afterwards but the cache, which is dropped now and replaced on
        // success. That saves cloning the whole document (~60 µs for 20 KB) inside the lock. Not
        // `create()`'s value: the caller may hold that object.
        let draft: T;
        if (pending === batch[batch.length - 1] && currentOwned) {
          draft = current;
          currentLent = true;
          this.cache = null;
        } else {
          draft = structuredClone(current);
        }
        try {
          const returned = await (pending.fn as Updater<T>)(draft);
          candidate = returned === undefined ? draft : returned;
        } catch (error) {
          this.fail(pending, new AtomicFileError('UPDATER_FAILED', `The update function for ${this.path} threw: ${describeCause(error)}. Nothing of this update was written; fix the function.`, { path: this.path, operation: 'update', cause: error }));
          continue;
        }
      }
      let candidateText: string;
      let committed: T;
      try {
        this.stamp(candidate, revision, stampedAt);
        const serialized = JSON.stringify(candidate, null, this.indent);
        if (serialized === undefined) throw new TypeError('the value has no JSON form (undefined or a function)');
        candidateText = serialized;
        // What other processes will read is the JSON, not the object: validate and cache exactly that.
        committed = JSON.parse(candidateText) as T;
      } catch (error) {
        this.fail(pending, new AtomicFileError('VALIDATION', `The new value for ${this.path} cannot be stored as JSON: ${describeCause(error)}. Nothing of this update was written.`, { path: this.path, operation: pending.kind, cause: error }));
        continue;
      }
      let problem: ReturnType<typeof validationProblem>;
      try {
        problem = validationProblem(this.validate, committed, this.path, pending.kind);
      } catch (error) {
        this.fail(pending, error);
        continue;
      }
      if (problem !== null) {
        this.fail(pending, new AtomicFileError('VALIDATION', `The new value for ${this.path} is invalid: ${problem.message}. Nothing of this update was written; fix the value.`, { path: this.path, operation: pending.kind, issues: problem.issues }));
        continue;
      }
      current = committed;
      currentOwned = true;
      currentLent = false;
      text = candidateText;
      accepted.push(pending);
    }
    if (accepted.length === 0 || current === undefined) return null;
    // The last updater failed after changing its draft: the state to commit is the text accepted before it.
    if (currentLent) current = JSON.parse(text) as T;

    let published: Published;
    try {
      published = await publish(this.ctx, {
        bytes: Buffer.from(`${text}\n`),
        mode: base.mode,
        saveBackup: this.keepBackup && base.primaryIsGood,
        fence: () => this.fence(held, base),
      });
    } catch (error) {
      this.cache = null;
      for (const pending of accepted) this.fail(pending, error);
      return null;
    }
    const { identity } = published;
    const committed = current;
    const committedRevision = this.revisionOf(committed);
    this.cache = { identity, value: committed, revision: committedRevision, mode: base.mode };
    this.highestSeenRevision = Math.max(this.highestSeenRevision, committedRevision);
    const committedText = text;
    return () => {
      published.afterUnlock();
      this.settle(accepted, committed, committedText, committedRevision, identity, waitStart, acquiredAt);
    };
  }

  /** After the lock is released: makes the commit durable, then resolves its callers. */
  private settle(accepted: Pending<T>[], current: T, text: string, committedRevision: number, identity: FileIdentity, waitStart: number, acquiredAt: number): void {
    try {
      syncTargetDirectory(this.ctx);
    } catch (error) {
      for (const pending of accepted) this.fail(pending, error);
      return;
    }
    const doneAt = performance.now();
    this.counters.commits += 1;
    this.lockWaits.add(acquiredAt - waitStart);
    this.emit({ type: 'commit', path: this.path, revision: committedRevision, updates: accepted.length });
    for (const pending of accepted) {
      pending.settled = true;
      this.counters.updates += 1;
      const latencyMs = doneAt - pending.calledAt;
      this.latencies.add(latencyMs);
      pending.resolve({
        // Each caller's own copy, parsed from the committed text (cheaper than cloning the state).
        value: JSON.parse(text) as T,
        revision: committedRevision,
        lockWaitMs: acquiredAt - Math.max(waitStart, pending.calledAt),
        latencyMs,
      });
    }
    this.watcher.committed({ value: current, revision: committedRevision }, identity);
  }

  /** Refuses to publish when the lock was taken over or someone else wrote since we read. */
  private fence(held: HeldLock, base: Base<T>): void {
    if (!this.lock.stillHeld(held)) {
      throw new AtomicFileError(
        'LOCK_COMPROMISED',
        `The lock on ${this.path} was taken over while this process held it (it was paused or blocked for more than the stale threshold). ` +
          'This update was NOT written, so the other process\'s data is kept; retry the update. Raise lock.staleMs if the pauses are expected.',
        { path: this.path, operation: 'commit' },
      );
    }
    const now = this.currentIdentity();
    if (!(now === null ? base.identity === null : base.identity !== null && sameIdentityValues(now, base.identity))) {
      throw new AtomicFileError(
        'LOCK_COMPROMISED',
        `${this.path} changed while this process held its lock (another writer ignored or took over the lock). This update was NOT written; retry it.`,
        { path: this.path, operation: 'commit' },
      );
    }
  }

  private stamp(value: unknown, revision: number, stampedAt: string): void {
    if (!isPlainObject(value)) return;
    if (this.revisionKey !== false) value[this.revisionKey] = revision;
    if (this.updatedAtKey !== false) value[this.updatedAtKey] = stampedAt;
  }

  // ---- helpers ----------------------------------------------------------------------------

  private fail(pending: Pending<T>, error: unknown): void {
    if (pending.settled) return;
    pending.settled = true;
    this.counters.errors += 1;
    if (AtomicFileError.isInstance(error)) {
      this.emit({ type: 'error', path: this.path, code: error.code, message: error.message });
    }
    pending.reject(error);
  }

  private notFound(operation: string): AtomicFileError {
    return new AtomicFileError('NOT_FOUND', `${this.path} does not exist. Create it first (e.g. with write()), or pass a create() option for its initial value.`, { path: this.path, operation });
  }

  private closedError(operation: string): AtomicFileError {
    return new AtomicFileError('CLOSED', `${operation} on ${this.path} after close(). Open the file again with openJsonFile().`, { path: this.path, operation });
  }

  private emit(event: StoreEvent): void {
    if (event.type === 'retry') this.counters.retries += 1;
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // A broken observer must not break the store, but it must not go unnoticed either.
        process.emitWarning(`@rail/atomic-file onEvent listener threw on a '${event.type}' event: ${describeCause(error)}`, 'AtomicFileListenerWarning');
      }
    }
  }

  private removeStaging(path: string): void {
    for (const name of this.fs.readdirSync(path)) this.fs.unlinkSync(`${path}/${name}`);
    this.fs.rmdirSync(path);
  }
}

function sameIdentityValues(a: FileIdentity, b: FileIdentity): boolean {
  return a.ino === b.ino && a.size === b.size && a.mtimeMs === b.mtimeMs;
}

function sameCached<T>(cache: Cached<T>, identity: FileIdentity): boolean {
  return sameIdentityValues(cache.identity, identity);
}

/**
 * Opens a JSON file shared by many processes. Synchronous and lazy: nothing is read or written
 * until the first call.
 */
export function openJsonFile<T>(path: string, options: JsonFileOptions<T> = {}): JsonFile<T> {
  return new JsonFileStore<T>(path, options);
}
