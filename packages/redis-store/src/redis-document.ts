import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { performance } from 'node:perf_hooks';
import { Redis, type RedisOptions } from 'ioredis';
import { CAS_SCRIPT, splitRevisionMessage } from './cas-script.js';
import type {
  Commit,
  SharedDocument,
  Snapshot,
  StoreEvent,
  StoreStats,
  UpdateOptions,
  Updater,
  WatchListener,
  WatchOptions,
} from '@rail/atomic-file';
import { RedisStoreError, type RedisStoreIssue } from './errors.js';
import { QuantileRecorder } from './quantile-recorder.js';
import {
  defaultConflictPolicy,
  defaultReconnectPolicy,
  resolvePolicy,
  retryDelayMs,
  type RetryPolicy,
} from './retry-policy.js';
import { parseStoreUrl, type RedisLocation } from './store-url.js';

/** A guard that accepts valid documents; `@rail/schema`'s `isTrainData` fits. */
export type DocumentValidator = ((value: unknown) => boolean) & {
  issues?(value: unknown): RedisStoreIssue[];
};

/** A snapshot delivered by `watch`, with what the watcher could not see one by one. */
export interface RedisSnapshot<T> extends Snapshot<T> {
  /** Delivered by a catch-up (after a reconnect or missed messages), not by the live message. */
  readonly catchUp?: boolean;
  /** Revisions committed before this one that can no longer be delivered (trimmed from history). */
  readonly gap?: { from: number; to: number };
}

/** The contract's events plus the connection's own. */
export type RedisStoreEvent =
  | StoreEvent
  | { type: 'connection'; path: string; connection: 'command' | 'subscriber'; state: 'lost' | 'restored'; reason: string }
  | { type: 'catch-up'; path: string; fromRevision: number; toRevision: number; gap: { from: number; to: number } | null };

export interface RedisDocumentOptions<T> {
  /** Checked on every read (invalid stored document → CORRUPT) and before every write (→ VALIDATION, nothing written). */
  validate?: DocumentValidator;
  /** Initial value used only when the key does not exist yet; written by the first update. Without it a missing key is NOT_FOUND. */
  create?: () => T;
  /** Default 'revision': on each commit a plain-object value gets `value[revisionKey] = new revision`. */
  revisionKey?: string | false;
  /** Default 'updatedAt': on each commit a plain-object value gets the commit time as ISO text. */
  updatedAtKey?: string | false;
  /** Backoff between compare-and-set conflicts. */
  retry?: Partial<RetryPolicy>;
  /** Backoff of reconnects, and of an update waiting for the connection (`attempts` is ignored). */
  reconnect?: Partial<Omit<RetryPolicy, 'attempts'>>;
  /** Deadline of one read/update/write, ms. Default 10 000. */
  timeoutMs?: number;
  /** A reply slower than this counts as a broken connection (socket dropped, reconnect), ms. Default 2 000. */
  commandTimeoutMs?: number;
  /** Committed revisions kept in `<key>:log` so watchers can fill gaps exactly. Default 100; 0 keeps none. */
  historyLength?: number;
  /** How long a commit's acknowledgement record is kept (lost-reply detection), ms. Default 600 000. */
  ackRetentionMs?: number;
  /** Stored with each commit as its writer label (shown by `redisHealth`). Default `<host>:<pid>`. */
  label?: string;
  onEvent?: (event: RedisStoreEvent) => void;
  /** Extra ioredis options (TLS, auth). The store sets its own queueing and reconnect options. */
  redis?: RedisOptions;
}

interface Pending<T> {
  fn: Updater<T>;
  resolve: (commit: Commit<T>) => void;
  reject: (error: Error) => void;
  startedAt: number;
  deadline: number;
  operation: 'update' | 'write';
}

interface Base<T> {
  value: T;
  revision: number;
  exists: boolean;
}

interface Applied<T> {
  value: T;
  json: string;
  revision: number;
  /** One entry per batch member: null when its change is part of `value`. */
  failures: (RedisStoreError | null)[];
}

interface WatchState<T> {
  listener: WatchListener<T>;
  onError: ((error: Error) => void) | undefined;
  lastRevision: number;
  chain: Promise<void>;
  active: boolean;
  /** This handle's first commit made before the watcher read its starting point, if any. */
  ownCommitBeforeStart: number | null;
}

type CasReply = [number, number | string, (string | null)?];

interface CasCommands {
  railCas(
    docKey: string,
    ackKey: string,
    logKey: string,
    expected: string,
    json: string,
    token: string,
    attempt: string,
    channel: string,
    ackRetentionMs: string,
    label: string,
    historyLength: string,
    at: string,
  ): Promise<CasReply>;
}

class DeadlineReached extends Error {}

const DEFAULT_TIMEOUT_MS = 10_000;
const IMMEDIATE_CONFLICT_RETRIES = 2;

/**
 * Opens a shared document stored under one Redis key. Synchronous: the connection is made in the
 * background and every operation waits for it within its own deadline.
 */
export function openRedisDocument<T>(
  target: string | { url: string; key: string },
  options: RedisDocumentOptions<T> = {},
): RedisDocument<T> {
  const location = typeof target === 'string' ? parseStoreUrl(target) : locationWithKey(target.url, target.key);
  if (location.kind !== 'redis') {
    throw new RedisStoreError('BAD_URL', `Cannot open '${location.path}' as a Redis document: it is a file. Use openStore() or a redis:// URL.`, {
      location: location.path,
      operation: 'open',
    });
  }
  return new RedisDocument<T>(location, options);
}

function locationWithKey(url: string, key: string): RedisLocation {
  const bare = parseStoreUrl(`${url.replace(/\/+$/, '')}/${encodeURIComponent(key)}`);
  if (bare.kind !== 'redis') {
    throw new RedisStoreError('BAD_URL', `Cannot open '${url}' as a Redis document: it is not a redis:// URL.`, { operation: 'open' });
  }
  return bare;
}

/** `SharedDocument<T>` on Redis: optimistic compare-and-set on the revision, pub/sub watch. */
export class RedisDocument<T> implements SharedDocument<T> {
  readonly location: string;
  readonly key: string;
  private readonly channel: string;
  private readonly logKey: string;
  private readonly ackPrefix: string;
  private readonly cmd: Redis & CasCommands;
  private sub: Redis | null = null;
  private subscribed: Promise<void> | null = null;
  private readonly validate: DocumentValidator | undefined;
  private readonly create: (() => T) | undefined;
  private readonly revisionKey: string | false;
  private readonly updatedAtKey: string | false;
  private readonly conflictPolicy: RetryPolicy;
  private readonly reconnectPolicy: RetryPolicy;
  private readonly timeoutMs: number;
  private readonly historyLength: number;
  private readonly ackRetentionMs: number;
  private readonly label: string;
  private readonly clientId = randomBytes(8).toString('hex');
  private opSeq = 0;
  private readonly queue: Pending<T>[] = [];
  private running: Promise<void> | null = null;
  /** The compare-and-set batch being sent now (one at a time per handle). */
  private batchInFlight: Promise<void> | null = null;
  private readonly watchers = new Set<WatchState<T>>();
  private readonly listeners = new Set<(event: RedisStoreEvent) => void>();
  private readonly readyWaiters = new Set<() => void>();
  private closed = false;
  private cmdLost = false;
  private subLost = false;
  private readonly counters = { commits: 0, updates: 0, retries: 0, errors: 0 };
  private readonly lockWait = new QuantileRecorder();
  private readonly latency = new QuantileRecorder();

  constructor(location: RedisLocation, options: RedisDocumentOptions<T>) {
    this.location = location.display;
    this.key = location.key;
    this.channel = `${location.key}:rev`;
    this.logKey = `${location.key}:log`;
    this.ackPrefix = `${location.key}:ack:`;
    this.validate = options.validate;
    this.create = options.create;
    this.revisionKey = options.revisionKey ?? 'revision';
    this.updatedAtKey = options.updatedAtKey ?? 'updatedAt';
    this.conflictPolicy = resolvePolicy(defaultConflictPolicy, options.retry);
    this.reconnectPolicy = resolvePolicy(defaultReconnectPolicy, options.reconnect);
    this.timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    this.historyLength = Math.max(0, Math.floor(options.historyLength ?? 100));
    this.ackRetentionMs = options.ackRetentionMs ?? 600_000;
    this.label = options.label ?? `${hostname()}:${process.pid}`;
    if (options.onEvent) this.listeners.add(options.onEvent);

    this.connectionOptions = {
      ...options.redis,
      ...(location.tls ? { tls: options.redis?.tls ?? {} } : {}),
      retryStrategy: (times: number) => retryDelayMs(this.reconnectPolicy, times),
      commandTimeout: options.commandTimeoutMs ?? 2_000,
      connectionName: `rail:${this.label}`.replace(/\s/g, '_'),
    };
    this.connectionUrl = location.connectionUrl;
    // No offline queue and no resend: a command is only ever sent on a live connection, so an update
    // that gave up can never be replayed later behind the caller's back.
    this.cmd = new Redis(location.connectionUrl, {
      ...this.connectionOptions,
      enableOfflineQueue: false,
      autoResendUnfulfilledCommands: false,
      maxRetriesPerRequest: 0,
    }) as Redis & CasCommands;
    this.cmd.defineCommand('railCas', { numberOfKeys: 3, lua: CAS_SCRIPT });
    this.cmd.on('ready', () => {
      if (this.cmdLost) {
        this.cmdLost = false;
        this.emit({ type: 'connection', path: this.location, connection: 'command', state: 'restored', reason: 'reconnected' });
      }
      for (const wake of this.readyWaiters) wake();
    });
    this.cmd.on('error', (error: Error) => this.connectionTrouble('command', error));
    this.cmd.on('close', () => this.connectionTrouble('command', new Error('connection closed')));
  }

  private readonly connectionOptions: RedisOptions;
  /** The last reason a connection was lost or refused, for messages when Redis does not answer. */
  private lastConnectionError: string | null = null;
  private readonly connectionUrl: string;

  async read(): Promise<Snapshot<T>> {
    this.assertOpen('read');
    const deadline = performance.now() + this.timeoutMs;
    let retry = 0;
    for (;;) {
      try {
        await this.waitReady(deadline);
        const base = await this.fetchBase('read', deadline);
        return { value: base.value, revision: base.revision };
      } catch (error) {
        if (RedisStoreError.isInstance(error)) throw this.counted(error);
        if (!this.isTransient(error) || performance.now() >= deadline) {
          throw this.counted(this.unavailable('read', error, retry + 1));
        }
        retry += 1;
        await this.pause(retryDelayMs(this.reconnectPolicy, retry), deadline);
      }
    }
  }

  update(fn: Updater<T>, options: UpdateOptions = {}): Promise<Commit<T>> {
    return this.enqueue(fn, options, 'update');
  }

  write(value: T, options: UpdateOptions = {}): Promise<Commit<T>> {
    return this.enqueue(() => structuredClone(value), options, 'write');
  }

  /**
   * Whether the update that failed with `outcome: 'unknown'` (its error carries `token`) committed:
   * the revision it committed, or null when it did not. Answers for `ackRetentionMs` after the commit.
   */
  async checkCommitted(token: string): Promise<number | null> {
    this.assertOpen('checkCommitted');
    const deadline = performance.now() + this.timeoutMs;
    await this.waitReady(deadline);
    const landed = await this.cmd.get(this.ackPrefix + token);
    if (landed === null) return null;
    return Number(landed.split(':')[1]);
  }

  watch(listener: WatchListener<T>, options: WatchOptions = {}): () => void {
    this.assertOpen('watch');
    const state: WatchState<T> = {
      listener,
      onError: options.onError,
      lastRevision: -1,
      chain: Promise.resolve(),
      active: true,
      ownCommitBeforeStart: null,
    };
    this.watchers.add(state);
    const subscribed = this.ensureSubscriber();
    this.schedule(state, async () => {
      await subscribed;
      // Read after the subscription is live: every later commit then arrives as a message.
      const current = await this.readForWatch();
      if (current === null) {
        // Like the file store: a missing document with create() is seen as create() at revision 0.
        state.lastRevision = 0;
        if (this.create && options.immediate !== false) await this.deliver(state, { value: this.create(), revision: 0 });
        return;
      }
      if (options.immediate !== false) {
        state.lastRevision = current.revision;
        await this.deliver(state, current);
        return;
      }
      // A commit this handle made after watch() returned is after the starting point, even when it
      // landed before the read above: deliver it (from history), as the file store does. Such a
      // commit is either settled already or in the batch in flight, whose reply came before the
      // read's but may not have been handled yet: wait for that batch (its outcome is its callers').
      const inFlight = this.batchInFlight;
      if (inFlight !== null) await Promise.allSettled([inFlight]);
      const own = state.ownCommitBeforeStart;
      state.lastRevision = own === null ? current.revision : Math.min(current.revision, own - 1);
      if (current.revision > state.lastRevision) await this.catchUp(state, current.revision);
    });
    return () => {
      state.active = false;
      this.watchers.delete(state);
    };
  }

  /** Receives the contract's events and this store's `connection` and `catch-up` events. */
  onEvent(listener: (event: RedisStoreEvent) => void): () => void;
  onEvent(listener: (event: StoreEvent) => void): () => void;
  onEvent(listener: ((event: RedisStoreEvent) => void) | ((event: StoreEvent) => void)): () => void {
    // A StoreEvent-only listener still gets the extra events; like any listener it switches on `type`.
    const widened = listener as (event: RedisStoreEvent) => void;
    this.listeners.add(widened);
    return () => this.listeners.delete(widened);
  }

  stats(): StoreStats {
    return {
      commits: this.counters.commits,
      updates: this.counters.updates,
      retries: this.counters.retries,
      restores: 0,
      staleTakeovers: 0,
      errors: this.counters.errors,
      lockWaitMs: this.lockWait.quantiles(),
      updateLatencyMs: this.latency.quantiles(),
    };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    while (this.running) await this.running;
    this.closed = true;
    for (const watcher of this.watchers) watcher.active = false;
    this.watchers.clear();
    for (const wake of this.readyWaiters) wake();
    await Promise.all([quitOrDrop(this.cmd), this.sub ? quitOrDrop(this.sub) : Promise.resolve()]);
  }

  // ---- updates -----------------------------------------------------------------------------

  private enqueue(fn: Updater<T>, options: UpdateOptions, operation: 'update' | 'write'): Promise<Commit<T>> {
    if (this.closed) return Promise.reject(this.closedError(operation));
    const startedAt = performance.now();
    return new Promise<Commit<T>>((resolve, reject) => {
      this.queue.push({ fn, resolve, reject, startedAt, deadline: startedAt + (options.timeoutMs ?? this.timeoutMs), operation });
      this.pump();
    });
  }

  /** One batch at a time per handle: updates queued meanwhile share the next compare-and-set. */
  private pump(): void {
    if (this.running) return;
    // The reset must happen inside the loop's own turn: a `.finally` chained outside ran a few
    // microtasks late, and an update queued in between found `running` set and was never sent.
    this.running = (async () => {
      try {
        while (this.queue.length > 0) {
          this.batchInFlight = this.commitBatch(this.queue.splice(0));
          await this.batchInFlight;
        }
      } finally {
        this.batchInFlight = null;
        this.running = null;
      }
    })();
  }

  private async commitBatch(batch: Pending<T>[]): Promise<void> {
    const token = `${this.clientId}-${++this.opSeq}`;
    const ackKey = this.ackPrefix + token;
    const deadline = Math.min(...batch.map((member) => member.deadline));
    const operation = batch.length === 1 && batch[0]?.operation === 'write' ? 'write' : 'update';
    const candidates = new Map<number, Applied<T>>();
    const startedAt = performance.now();
    let base: Base<T> | null = null;
    let uncertain = false;
    let attempt = 0;
    let conflicts = 0;
    let outages = 0;
    let lastError: unknown;
    let attemptStartedAt = startedAt;
    for (;;) {
      attemptStartedAt = performance.now();
      if (attemptStartedAt >= deadline) {
        this.rejectAll(batch, this.timeout(operation, token, uncertain, attempt, lastError));
        return;
      }
      try {
        await this.waitReady(deadline);
        if (uncertain) {
          const landed = await this.withDeadline(this.cmd.get(ackKey), deadline);
          if (landed !== null) {
            this.settleLanded(batch, landed, candidates, startedAt, attemptStartedAt, token);
            return;
          }
          uncertain = false;
        }
        base ??= await this.fetchBase(operation, deadline);
        attempt += 1;
        const applied = await this.applyBatch(batch, base);
        if (applied === null) return;
        candidates.set(attempt, applied);
        uncertain = true;
        const reply = await this.withDeadline(
          this.cmd.railCas(
            this.key,
            ackKey,
            this.logKey,
            String(base.revision),
            applied.json,
            token,
            String(attempt),
            this.channel,
            String(this.ackRetentionMs),
            this.label,
            String(this.historyLength),
            this.lastStamp,
          ),
          deadline,
        );
        uncertain = false;
        const [status, detail, currentJson] = reply;
        if (status === 1) {
          this.settle(batch, applied, attemptStartedAt - startedAt);
          return;
        }
        if (status === 2) {
          this.settleLanded(batch, String(detail), candidates, startedAt, attemptStartedAt, token);
          return;
        }
        if (status === 3) {
          throw this.corrupt(operation, `the stored hash is unusable (${String(detail)})`);
        }
        conflicts += 1;
        base = this.parseBase(operation, currentJson ?? null, Number(detail));
        if (conflicts >= this.conflictPolicy.attempts) {
          this.rejectAll(
            batch,
            new RedisStoreError(
              'CONFLICT_EXHAUSTED',
              `Could not ${operation} ${this.location}: ${conflicts} compare-and-set attempts in a row lost to other writers. Nothing was written; retry later or raise retry.attempts.`,
              { location: this.location, operation, attempts: conflicts, outcome: 'not-applied', token },
            ),
          );
          return;
        }
        // The conflict reply carries the current document, so the next try can start at once from
        // a state one round trip old. After a pause that state is stale (other writers kept going),
        // so backed-off tries read afresh instead.
        if (conflicts <= IMMEDIATE_CONFLICT_RETRIES) {
          this.noteRetry(operation, attempt, 0, 'CONFLICT');
          continue;
        }
        const delayMs = retryDelayMs(this.conflictPolicy, conflicts - IMMEDIATE_CONFLICT_RETRIES);
        this.noteRetry(operation, attempt, delayMs, 'CONFLICT');
        await this.pause(delayMs, deadline);
        base = null;
      } catch (error) {
        if (RedisStoreError.isInstance(error)) {
          this.rejectAll(batch, error);
          return;
        }
        if (error instanceof DeadlineReached) continue;
        if (isReplyError(error)) {
          // The server answered, so the script either ran to its reply or failed before writing.
          uncertain = false;
          if (/WRONGTYPE/.test(error.message)) {
            this.rejectAll(batch, this.corrupt(operation, 'the key holds a non-hash value', error));
            return;
          }
        }
        lastError = error;
        base = null;
        outages += 1;
        const delayMs = retryDelayMs(this.reconnectPolicy, outages);
        this.noteRetry(operation, attempt, delayMs, 'UNAVAILABLE');
        await this.pause(delayMs, deadline);
      }
    }
  }

  private lastStamp = '';

  /**
   * Runs every queued updater in order on a private copy. A member that throws or produces an
   * invalid document is left out (and told why); the others still commit. Returns null when no
   * member produced a change: then every caller has been answered and nothing is written.
   */
  private async applyBatch(batch: Pending<T>[], base: Base<T>): Promise<Applied<T> | null> {
    const revision = base.revision + 1;
    this.lastStamp = new Date().toISOString();
    let current = base.value;
    const failures: (RedisStoreError | null)[] = [];
    let json: string | undefined;
    for (const member of batch) {
      try {
        const draft = structuredClone(current);
        const returned = await member.fn(draft);
        const next = returned === undefined ? draft : structuredClone(returned);
        this.stamp(next, revision, this.lastStamp);
        const text = JSON.stringify(next);
        if (text === undefined) {
          failures.push(this.validationError(member.operation, 'the value is not representable as JSON', []));
          continue;
        }
        const issues = this.issuesOf(next);
        if (issues !== null) {
          failures.push(
            this.validationError(member.operation, `the new document is invalid${formatIssues(issues)}`, issues),
          );
          continue;
        }
        current = next;
        json = text;
        failures.push(null);
      } catch (error) {
        failures.push(
          new RedisStoreError(
            'UPDATER_FAILED',
            `The updater passed to ${member.operation}() on ${this.location} threw: ${(error as Error)?.message ?? String(error)}. Nothing was written for this call; fix the updater.`,
            { location: this.location, operation: member.operation, outcome: 'not-applied', cause: error },
          ),
        );
      }
    }
    if (json === undefined) {
      batch.forEach((member, index) => member.reject(this.counted(failures[index] ?? this.validationError(member.operation, 'no change', []))));
      return null;
    }
    return { value: current, json, revision, failures };
  }

  private settleLanded(
    batch: Pending<T>[],
    landed: string,
    candidates: Map<number, Applied<T>>,
    startedAt: number,
    attemptStartedAt: number,
    token: string,
  ): void {
    const attempt = Number(landed.split(':')[0]);
    const applied = candidates.get(attempt);
    if (!applied) {
      this.rejectAll(batch, this.corrupt('update', `its ack record '${landed}' for token ${token} names an attempt this process never made`));
      return;
    }
    this.settle(batch, applied, attemptStartedAt - startedAt);
  }

  /** `lockWaitMs`: time lost to conflicts and outages before the attempt that committed. */
  private settle(batch: Pending<T>[], applied: Applied<T>, lockWaitMs: number): void {
    const now = performance.now();
    let successes = 0;
    let first = true;
    for (const watcher of this.watchers) {
      if (watcher.lastRevision === -1) watcher.ownCommitBeforeStart ??= applied.revision;
    }
    batch.forEach((member, index) => {
      const failure = applied.failures[index];
      if (failure) {
        member.reject(this.counted(failure));
        return;
      }
      successes += 1;
      const latencyMs = now - member.startedAt;
      this.latency.record(latencyMs);
      // Each caller gets its own copy so that one caller mutating its result cannot touch another's.
      const value = first ? applied.value : structuredClone(applied.value);
      first = false;
      member.resolve({ value, revision: applied.revision, lockWaitMs, latencyMs });
    });
    this.counters.commits += 1;
    this.counters.updates += successes;
    this.lockWait.record(lockWaitMs);
    this.emit({ type: 'commit', path: this.location, revision: applied.revision, updates: successes });
  }

  private rejectAll(batch: Pending<T>[], error: RedisStoreError): void {
    for (const member of batch) member.reject(this.counted(error));
  }

  private stamp(value: unknown, revision: number, at: string): void {
    if (!isPlainObject(value)) return;
    if (this.revisionKey !== false) value[this.revisionKey] = revision;
    if (this.updatedAtKey !== false) value[this.updatedAtKey] = at;
  }

  // ---- reading -----------------------------------------------------------------------------

  private async fetchBase(operation: string, deadline: number): Promise<Base<T>> {
    const [json, rev] = await this.withDeadline(this.cmd.hmget(this.key, 'doc', 'rev'), deadline);
    if (json === null && rev === null) {
      if (this.create) return { value: this.create(), revision: 0, exists: false };
      throw new RedisStoreError(
        'NOT_FOUND',
        `Cannot ${operation} ${this.location}: the key does not exist. Pass a create() option to start it, or check the key name.`,
        { location: this.location, operation, outcome: 'not-applied' },
      );
    }
    return this.parseBase(operation, json ?? null, Number(rev));
  }

  private parseBase(operation: string, json: string | null, revision: number): Base<T> {
    if (json === null && revision === 0) {
      // Deleted between our read and the compare-and-set.
      if (this.create) return { value: this.create(), revision: 0, exists: false };
      throw new RedisStoreError('NOT_FOUND', `Cannot ${operation} ${this.location}: the key was deleted. Recreate it or pass create().`, {
        location: this.location,
        operation,
        outcome: 'not-applied',
      });
    }
    if (json === null || !Number.isSafeInteger(revision) || revision < 0) {
      throw this.corrupt(operation, `the hash has ${json === null ? 'no doc field' : `an invalid rev field (${revision})`}`);
    }
    return { value: this.parseDocument(operation, json, revision), revision, exists: true };
  }

  private parseDocument(operation: string, json: string, revision: number): T {
    let value: unknown;
    try {
      value = JSON.parse(json);
    } catch (error) {
      throw this.corrupt(operation, `revision ${revision} is not valid JSON (${(error as Error).message})`, error);
    }
    const issues = this.issuesOf(value);
    if (issues !== null) {
      const error = this.corrupt(operation, `revision ${revision} fails validation${formatIssues(issues)}`);
      (error.issues as RedisStoreIssue[]).push(...issues);
      throw error;
    }
    return value as T;
  }

  private issuesOf(value: unknown): RedisStoreIssue[] | null {
    if (!this.validate || this.validate(value)) return null;
    return this.validate.issues?.(value) ?? [];
  }

  // ---- watching ----------------------------------------------------------------------------

  private ensureSubscriber(): Promise<void> {
    if (this.subscribed) return this.subscribed;
    // autoResubscribe is off so that the catch-up read runs only once SUBSCRIBE has been answered:
    // a commit between a catch-up read and a late resubscribe would otherwise be missed.
    const sub = new Redis(this.connectionUrl, { ...this.connectionOptions, autoResubscribe: false, commandTimeout: undefined });
    this.sub = sub;
    let everReady = false;
    sub.on('error', (error: Error) => this.connectionTrouble('subscriber', error));
    sub.on('close', () => this.connectionTrouble('subscriber', new Error('connection closed')));
    sub.on('message', (channel: string, message: string) => {
      if (channel !== this.channel) return;
      const parsed = splitRevisionMessage(message);
      if (parsed === null) {
        this.reportWatchError(null, this.corrupt('watch', `a message on ${this.channel} is malformed: ${message.slice(0, 80)}`));
        return;
      }
      for (const watcher of this.watchers) this.schedule(watcher, () => this.onMessage(watcher, parsed.revision, parsed.json));
    });
    sub.on('ready', () => {
      if (!everReady) {
        everReady = true;
        return;
      }
      if (this.subLost) {
        this.subLost = false;
        this.emit({ type: 'connection', path: this.location, connection: 'subscriber', state: 'restored', reason: 'reconnected' });
      }
      const again = sub.subscribe(this.channel);
      for (const watcher of this.watchers) {
        this.schedule(watcher, async () => {
          await again;
          await this.catchUp(watcher, null);
        });
      }
    });
    this.subscribed = sub.subscribe(this.channel).then(() => undefined);
    return this.subscribed;
  }

  private async onMessage(watcher: WatchState<T>, revision: number, json: string): Promise<void> {
    if (revision <= watcher.lastRevision) return;
    if (revision === watcher.lastRevision + 1) {
      const value = this.parseDocument('watch', json, revision);
      watcher.lastRevision = revision;
      await this.deliver(watcher, { value, revision });
      return;
    }
    await this.catchUp(watcher, revision);
  }

  /**
   * Delivers every revision after the watcher's last one, oldest first, from the history list;
   * what history no longer holds is reported as a gap on the first snapshot delivered after it.
   */
  private async catchUp(watcher: WatchState<T>, seenRevision: number | null): Promise<void> {
    let retry = 0;
    for (;;) {
      if (!watcher.active || this.closed) return;
      try {
        await this.waitReady(Number.POSITIVE_INFINITY);
        const [[, entries], [, current]] = (await this.cmd
          .multi()
          .lrange(this.logKey, 0, -1)
          .hmget(this.key, 'doc', 'rev')
          .exec()) as [[unknown, string[]], [unknown, (string | null)[]]];
        const currentRevision = Number(current[1] ?? 0);
        const target = Math.max(currentRevision, seenRevision ?? 0);
        if (target <= watcher.lastRevision) return;
        const byRevision = new Map<number, string>();
        for (const entry of entries) {
          const parsed = splitRevisionMessage(entry);
          if (parsed) byRevision.set(parsed.revision, parsed.json);
        }
        if (current[0] != null) byRevision.set(currentRevision, current[0]);
        const from = watcher.lastRevision + 1;
        let gapStart: number | null = null;
        const available: number[] = [];
        for (let revision = from; revision <= currentRevision; revision += 1) {
          if (byRevision.has(revision)) available.push(revision);
          else if (available.length === 0) gapStart ??= revision;
        }
        const gap = gapStart === null ? null : { from: gapStart, to: (available[0] ?? currentRevision + 1) - 1 };
        this.emit({ type: 'catch-up', path: this.location, fromRevision: from, toRevision: currentRevision, gap });
        let first = true;
        for (const revision of available) {
          if (!watcher.active) return;
          const value = this.parseDocument('watch', byRevision.get(revision) as string, revision);
          watcher.lastRevision = revision;
          await this.deliver(watcher, first && gap ? { value, revision, catchUp: true, gap } : { value, revision, catchUp: true });
          first = false;
        }
        return;
      } catch (error) {
        if (RedisStoreError.isInstance(error)) throw error;
        retry += 1;
        await this.pause(retryDelayMs(this.reconnectPolicy, retry), Number.POSITIVE_INFINITY);
      }
    }
  }

  private async readForWatch(): Promise<Snapshot<T> | null> {
    let retry = 0;
    for (;;) {
      try {
        await this.waitReady(Number.POSITIVE_INFINITY);
        const [json, rev] = await this.cmd.hmget(this.key, 'doc', 'rev');
        if (json === null && rev === null) return null;
        const base = this.parseBase('watch', json ?? null, Number(rev));
        return { value: base.value, revision: base.revision };
      } catch (error) {
        if (RedisStoreError.isInstance(error) || this.closed) throw error;
        retry += 1;
        await this.pause(retryDelayMs(this.reconnectPolicy, retry), Number.POSITIVE_INFINITY);
      }
    }
  }

  private async deliver(watcher: WatchState<T>, snapshot: RedisSnapshot<T>): Promise<void> {
    if (!watcher.active) return;
    try {
      // A listener that returns a promise is awaited: a slow reader slows its own delivery, never skips.
      const result = (watcher.listener as (s: RedisSnapshot<T>) => unknown)(snapshot);
      if (isThenable(result)) await result;
    } catch (error) {
      this.reportWatchError(watcher, error instanceof Error ? error : new Error(String(error)));
    }
  }

  private schedule(watcher: WatchState<T>, task: () => Promise<void>): void {
    watcher.chain = watcher.chain.then(async () => {
      if (!watcher.active) return;
      try {
        await task();
      } catch (error) {
        if (this.closed && !RedisStoreError.isInstance(error)) return;
        this.reportWatchError(watcher, error instanceof Error ? error : new Error(String(error)));
      }
    });
  }

  private reportWatchError(watcher: WatchState<T> | null, error: Error): void {
    this.counters.errors += 1;
    this.emit({
      type: 'error',
      path: this.location,
      code: RedisStoreError.isInstance(error) ? error.code : 'WATCH_LISTENER',
      message: error.message,
    });
    const targets = watcher ? [watcher] : [...this.watchers];
    for (const target of targets) target.onError?.(error);
  }

  // ---- connection --------------------------------------------------------------------------

  private connectionTrouble(connection: 'command' | 'subscriber', error: Error): void {
    if (this.closed) return;
    // Keep the most telling reason: an OS error (ECONNREFUSED, ENOTFOUND) over a bare "closed".
    if ((error as NodeJS.ErrnoException).code !== undefined || this.lastConnectionError === null) this.lastConnectionError = describeCause(error);
    const lostFlag = connection === 'command' ? 'cmdLost' : 'subLost';
    if (this[lostFlag]) return;
    this[lostFlag] = true;
    this.emit({ type: 'connection', path: this.location, connection, state: 'lost', reason: error.message });
  }

  /** Resolves once the command connection is ready; throws DeadlineReached or CLOSED. */
  private waitReady(deadline: number): Promise<void> {
    if (this.closed) return Promise.reject(this.closedError('wait for the connection'));
    if (this.cmd.status === 'ready') return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const finish = (error?: Error) => {
        this.readyWaiters.delete(wake);
        if (timer) clearTimeout(timer);
        if (error) reject(error);
        else resolve();
      };
      const wake = () => finish(this.closed ? this.closedError('wait for the connection') : undefined);
      const remaining = deadline - performance.now();
      const timer = Number.isFinite(remaining) ? setTimeout(() => finish(new DeadlineReached()), Math.max(0, remaining)) : null;
      this.readyWaiters.add(wake);
    });
  }

  private async withDeadline<R>(command: Promise<R>, deadline: number): Promise<R> {
    const remaining = deadline - performance.now();
    if (!Number.isFinite(remaining)) return command;
    let timer: NodeJS.Timeout | undefined;
    const expired = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new DeadlineReached()), Math.max(0, remaining));
    });
    try {
      return await Promise.race([command, expired]);
    } catch (error) {
      if (error instanceof Error && /Command timed out/.test(error.message) && this.cmd.status === 'ready') {
        // The socket may be dead without the kernel knowing (a cut link): drop it so that the command
        // cannot be delivered late, and reconnect.
        this.cmd.disconnect(true);
      }
      throw error;
    } finally {
      clearTimeout(timer);
      command.catch(() => undefined);
    }
  }

  private pause(ms: number, deadline: number): Promise<void> {
    const wait = Math.max(0, Math.min(ms, deadline - performance.now()));
    return new Promise((resolve) => setTimeout(resolve, wait));
  }

  private isTransient(error: unknown): boolean {
    return error instanceof DeadlineReached || !isReplyError(error) || /LOADING|BUSY|TRYAGAIN/.test((error as Error).message);
  }

  // ---- events and errors -------------------------------------------------------------------

  private emit(event: RedisStoreEvent): void {
    for (const listener of this.listeners) {
      try {
        listener(event);
      } catch (error) {
        // An observer's bug must not break the store; it still shows on stderr.
        process.emitWarning(`@rail/redis-store: an onEvent listener threw: ${(error as Error)?.message ?? String(error)}`);
      }
    }
  }

  private noteRetry(op: string, attempt: number, delayMs: number, code: string): void {
    this.counters.retries += 1;
    this.emit({ type: 'retry', op, attempt, delayMs, code, path: this.location });
  }

  private counted(error: RedisStoreError): RedisStoreError {
    this.counters.errors += 1;
    this.emit({ type: 'error', path: this.location, code: error.code, message: error.message });
    return error;
  }

  private assertOpen(operation: string): void {
    if (this.closed) throw this.closedError(operation);
  }

  private closedError(operation: string): RedisStoreError {
    return new RedisStoreError('CLOSED', `Cannot ${operation} ${this.location}: the handle is closed. Open a new one with openRedisDocument().`, {
      location: this.location,
      operation,
      outcome: 'not-applied',
    });
  }

  private corrupt(operation: string, why: string, cause?: unknown): RedisStoreError {
    return new RedisStoreError(
      'CORRUPT',
      `Cannot ${operation} ${this.location}: ${why}. Nothing was written; inspect the key with redis-cli HGETALL ${this.key} and repair or delete it.`,
      { location: this.location, operation, outcome: 'not-applied', cause },
    );
  }

  private validationError(operation: string, why: string, issues: RedisStoreIssue[]): RedisStoreError {
    return new RedisStoreError('VALIDATION', `Cannot ${operation} ${this.location}: ${why}. Nothing was written; fix the value.`, {
      location: this.location,
      operation,
      issues,
      outcome: 'not-applied',
    });
  }

  private unavailable(operation: string, cause: unknown, attempts: number): RedisStoreError {
    // The deadline itself carries no reason; the connection's last error says why Redis was silent.
    const blank = cause === undefined || (cause instanceof Error && cause.message === '');
    const why = blank ? (this.lastConnectionError ?? describeCause(cause)) : describeCause(cause);
    return new RedisStoreError(
      'UNAVAILABLE',
      `Cannot ${operation} ${this.location}: Redis did not answer within ${this.timeoutMs} ms (${why}). Check that redis-server is running there and the URL's host, port and password.`,
      { location: this.location, operation, attempts, cause },
    );
  }

  private timeout(operation: string, token: string, uncertain: boolean, attempts: number, cause: unknown): RedisStoreError {
    const outcome = uncertain ? 'unknown' : 'not-applied';
    const what =
      outcome === 'not-applied'
        ? 'nothing was written and nothing is left queued'
        : `the connection broke after the last compare-and-set was sent, so it may have committed: ask checkCommitted('${token}') once Redis is back`;
    return new RedisStoreError(
      'TIMEOUT',
      `Could not ${operation} ${this.location} before its deadline (${describeCause(cause)}): ${what}. Check that redis-server is running and reachable, then retry.`,
      { location: this.location, operation, attempts, outcome, token, cause },
    );
  }
}

function isReplyError(error: unknown): error is Error {
  return error instanceof Error && error.name === 'ReplyError';
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { then?: unknown }).then === 'function';
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function formatIssues(issues: RedisStoreIssue[]): string {
  if (issues.length === 0) return '';
  const shown = issues.slice(0, 3).map((issue) => `${issue.path || '/'}: ${issue.message}`);
  return ` (${shown.join('; ')}${issues.length > 3 ? `; ${issues.length - 3} more` : ''})`;
}

function describeCause(cause: unknown): string {
  if (cause === undefined) return 'no reply yet';
  if (!(cause instanceof Error)) return String(cause);
  // Connection errors can come with an empty message (the reason is only in their code).
  return cause.message !== '' ? cause.message : ((cause as NodeJS.ErrnoException).code ?? cause.name);
}

async function quitOrDrop(client: Redis): Promise<void> {
  if (client.status !== 'ready') {
    client.disconnect();
    return;
  }
  // QUIT failing means the socket is already gone: disconnecting releases what is left.
  await client.quit().then(
    () => undefined,
    () => client.disconnect(),
  );
}
