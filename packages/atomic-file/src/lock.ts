import { basename, dirname, join } from 'node:path';
import { AtomicFileError, describeCause, errnoCode } from './errors.js';
import { nodeFileSystem, type DirWatcher, type FileStat, type FileSystemLayer } from './fs-layer.js';
import { HOST, HOST_HASH, isPidAlive, randomToken } from './host.js';
import { findLeftovers, lockDirPath, lockStagingPath, resolveTarget } from './paths.js';
import type { LockOwner, StoreEvent } from './shared-document.js';

export interface LockSettings {
  /** Give up waiting after this long (per update call), ms. */
  timeoutMs: number;
  /** An owner whose heartbeat has not moved for this long (on the waiter's clock) is stale, ms. */
  staleMs: number;
  /** How often the holder refreshes its heartbeat, ms. */
  heartbeatMs: number;
  label: string | undefined;
  /** Emit 'slow-lock' once a wait passes this, ms. */
  slowLockMs: number;
}

export interface HeldLock {
  readonly token: string;
  readonly ownerFile: string;
  readonly owner: LockOwner;
  /** Set by the heartbeat when it finds the owner file gone (the lock was taken over). */
  lost: boolean;
  heartbeat: ReturnType<typeof setInterval> | undefined;
}

export interface LockHooks {
  emit(event: StoreEvent): void;
  onStaleTakeover(): void;
  /** A staging directory of a dead process on this host was seen: time to sweep. */
  onDeadLeftover(): void;
}

/** Codes a rename of the staging directory fails with when the lock directory is already there. */
const HELD_CODES = new Set(['EEXIST', 'ENOTEMPTY', 'EPERM', 'EACCES', 'EBUSY']);
/** Codes of an rmdir that lost a race with another process: the lock is someone else's now. */
const RMDIR_RACE_CODES = new Set(['ENOENT', 'ENOTEMPTY', 'EEXIST', 'EBUSY', 'EPERM', 'EACCES']);

const BACKOFF_START_MS = 1;
const BACKOFF_FACTOR = 1.5;
const BACKOFF_CAP_MS = 8;
/** Dead-owner detection re-checks at least this often (target: recovery within 50 ms of a crash). */
const INSPECT_EVERY_MS = 5;
/**
 * A waiter whose staging directory is watched is woken by the hand-over, or by the releaser's poke
 * when the lock was freed without one, so it polls only to notice a dead or silent owner: every
 * 5-15 ms rather than every 1-8 ms. Four waiters polling fast cost more CPU than the holder's commit
 * on a two-core machine.
 */
const WATCHED_POLL_MIN_MS = 5;
const WATCHED_POLL_JITTER_MS = 10;
/** A handle that has not asked for the lock for this long removes its kept staging directory. */
const STAGING_IDLE_MS = 1_000;
const IS_WINDOWS = process.platform === 'win32';

/**
 * Locks keeping a staging directory. Their idle timers are unref'd (an idle handle must not keep
 * the process alive), so a script that ends without close() would leave the directories behind:
 * they are removed on exit instead (a killed process's are swept by the next writer).
 */
const keepingStaging = new Set<FileLock>();
let exitHookInstalled = false;

function keepStagingUntilExit(lock: FileLock): void {
  keepingStaging.add(lock);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once('exit', () => {
    for (const kept of keepingStaging) kept.close();
  });
}

/** Separates a handed-over record's token from its releaser's: `<token>~<releaser token>.json`. */
const HANDOVER_SEPARATOR = '~';

/** The owner token of a record file name (`<token>.json` or `<token>~<releaser token>.json`). */
function recordToken(name: string): string {
  return name.slice(0, -'.json'.length).split(HANDOVER_SEPARATOR)[0] ?? '';
}

/** The token of the owner that handed this record the lock, if it was handed over. */
function releaserToken(name: string): string | undefined {
  return name.slice(0, -'.json'.length).split(HANDOVER_SEPARATOR)[1];
}

/**
 * A record's `acquiredAt` is written when its owner started waiting. A handed-over record got the
 * lock when the releaser renamed it into the lock directory, which set its inode change time.
 */
function acquiredAtOf(owner: LockOwner, name: string, stat: FileStat): LockOwner {
  if (releaserToken(name) === undefined || stat.ctimeMs === undefined || stat.ctimeMs <= owner.acquiredAt) return owner;
  return { ...owner, acquiredAt: stat.ctimeMs };
}

/**
 * The record of the current owner among those in a lock directory: during a hand-over the
 * releaser's record sits beside the one it handed the lock to, which names it as releaser.
 */
function currentRecord(names: readonly string[]): string | undefined {
  const records = names.filter((name) => name.endsWith('.json'));
  const releasers = new Set(records.map(releaserToken));
  return records.find((name) => !releasers.has(recordToken(name))) ?? records[0];
}

type Inspection =
  | { kind: 'free' }
  | { kind: 'held'; owner: LockOwner | null }
  | { kind: 'taken-over' };

function parseOwner(text: string, token: string): LockOwner | null {
  const data: unknown = JSON.parse(text);
  if (typeof data !== 'object' || data === null) return null;
  const record = data as Record<string, unknown>;
  if (typeof record.pid !== 'number' || typeof record.host !== 'string') return null;
  return {
    pid: record.pid,
    host: record.host,
    token,
    acquiredAt: typeof record.acquiredAt === 'number' ? record.acquiredAt : 0,
    ...(typeof record.label === 'string' ? { label: record.label } : {}),
  };
}

function describeOwner(owner: LockOwner | null): string {
  if (owner === null) return 'an unknown owner';
  const label = owner.label === undefined ? '' : ` (${owner.label})`;
  return `pid ${owner.pid} on ${owner.host}${label} since ${new Date(owner.acquiredAt).toISOString()}`;
}

/**
 * The cross-process lock: a directory `<file>.lock` holding exactly one owner record
 * `<token>.json`. It is taken by renaming a private staging directory (owner record already
 * inside) onto the lock path, so the lock never exists without its owner. A stale owner is
 * removed by unlinking its record by name, which only one racer can do; nobody ever removes a
 * lock directory with a record in it, so two waiters that both judged it stale cannot both win.
 *
 * Hand-over: on release the holder moves the record of the oldest live waiter from its staging
 * directory into the lock directory, then removes its own record, so the lock is never free in
 * between and waiters are served first come, first served instead of racing after every release
 * (which made one unlucky waiter lose ten times in a row). The waiter finds its record moved into
 * the lock directory: it holds the lock.
 */
export class FileLock {
  readonly lockDir: string;
  /** Owner seen on the last failed attempt (for LOCK_TIMEOUT messages and events). */
  lastOwner: LockOwner | null = null;
  /** Heartbeat observation, on this process's monotonic clock. */
  private observed: { token: string; ino: number; mtimeMs: number; sinceMs: number } | null = null;
  /** Last parsed owner record, by token and inode (a handle reuses its token for every acquisition). */
  private ownerCache: { token: string; ino: number; owner: LockOwner } | null = null;
  private dirWatcher: DirWatcher | null = null;
  private watchBroken = false;
  private wake: (() => void) | null = null;
  /**
   * This handle's staging directory (and the token its records are named by). A hand-over moves
   * only the record out, so the directory is kept for the next acquisition while updates keep
   * coming: creating and removing a directory per update were the slowest metadata operations
   * under contention. Removed when the handle has been idle for STAGING_IDLE_MS, or at close.
   */
  private staging: { path: string; token: string } | null = null;
  private idleTimer: ReturnType<typeof setTimeout> | undefined;
  /** Staging directories whose waiter could not be woken (reported once each). */
  private readonly unwakeable = new Set<string>();

  constructor(
    private readonly target: string,
    private readonly fs: FileSystemLayer,
    private readonly settings: LockSettings,
    private readonly hooks: LockHooks,
  ) {
    this.lockDir = lockDirPath(target);
  }

  /**
   * Waits for the lock. `shouldGiveUp` is asked before every attempt (the caller rejects its
   * timed-out waiters there); when it says so, the staging directory is removed and null returned.
   */
  async acquire(shouldGiveUp: (waitedMs: number) => boolean): Promise<HeldLock | null> {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const kept = this.staging;
    const token = kept?.token ?? randomToken();
    const staging = kept?.path ?? lockStagingPath(this.target, token);
    this.setStaging({ path: staging, token });
    const owner: LockOwner = {
      pid: process.pid,
      host: HOST,
      token,
      acquiredAt: Date.now(),
      ...(this.settings.label === undefined ? {} : { label: this.settings.label }),
    };
    if (this.stage(staging, owner, kept !== null) || this.dirWatcher === null) this.watchStaging(staging);
    try {
      return await this.waitForLock(staging, token, owner, shouldGiveUp);
    } catch (error) {
      // Never leave a record behind that a releaser could hand the lock to.
      try {
        this.withdraw(staging, token, owner);
      } catch (cleanupError) {
        this.reportCleanup(staging, cleanupError);
      }
      if (AtomicFileError.isInstance(error)) throw error;
      throw new AtomicFileError(
        'WRITE_FAILED',
        `Waiting for the lock ${this.lockDir} of ${this.target} failed (${describeCause(error)}). Nothing was written; check the folder's permissions and the process's open-file limit.`,
        { path: this.target, operation: 'lock', cause: error },
      );
    }
  }

  /**
   * Leaves the queue: removes our staged record. If a releaser moved it into the lock just before,
   * we hold the lock, and pass it on (or free it) rather than strand it.
   */
  private withdraw(staging: string, token: string, owner: LockOwner): void {
    const record = join(staging, `${token}.json`);
    let handed: string | null = null;
    try {
      this.fs.unlinkSync(record);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') this.reportCleanup(record, error);
      else handed = this.claimHandedRecord(token);
    }
    if (handed !== null) this.release(this.took(token, owner, handed));
    this.close();
  }

  private async waitForLock(staging: string, token: string, owner: LockOwner, shouldGiveUp: (waitedMs: number) => boolean): Promise<HeldLock | null> {
    const started = performance.now();
    let backoffStep = 0;
    let slowReported = false;
    let immediateRetries = 0;
    let lastInspect = -Infinity;
    for (;;) {
      const waited = performance.now() - started;
      if (shouldGiveUp(waited)) {
        this.withdraw(staging, token, owner);
        return null;
      }
      if (!this.exists(join(staging, `${token}.json`))) {
        // Our record left the staging directory: the last holder handed us the lock, or (never
        // expected) something removed it; then stage again and keep waiting. Never rename a staging
        // directory without its record onto the lock: that would be a lock nobody is recorded for.
        const handed = this.handedOver(staging, token, owner);
        if (handed !== null) return handed;
        if (this.stage(staging, owner, true) || this.dirWatcher === null) this.watchStaging(staging);
        continue;
      }
      try {
        this.fs.renameSync(staging, this.lockDir);
        // The staging directory itself became the lock directory: nothing left to keep or watch.
        this.setStaging(null);
        this.stopWatching();
        if (!this.exists(join(this.lockDir, `${token}.json`))) {
          // Our record had been moved out a moment before (a hand-over that was then taken back):
          // we renamed an empty directory into place. Free it and start over; never hold a lock
          // nobody is recorded for.
          this.removeEmptyLock();
          this.setStaging({ path: staging, token });
          this.stage(staging, owner, false);
          this.watchStaging(staging);
          continue;
        }
        return this.took(token, owner);
      } catch (error) {
        const code = errnoCode(error);
        if (code === undefined || !HELD_CODES.has(code)) {
          this.close();
          throw new AtomicFileError(
            'WRITE_FAILED',
            `Could not take the lock ${this.lockDir} for ${this.target} (rename of ${staging} failed: ${describeCause(error)}). ` +
              'Check that the directory exists and is writable by this user.',
            { path: this.target, operation: 'lock', cause: error },
          );
        }
      }
      // The rename above already takes a free lock; looking inside is only for staleness (and for
      // Windows, which cannot rename onto the empty directory), so not on every wake-up.
      const now = performance.now();
      const seen: Inspection =
        now - lastInspect >= INSPECT_EVERY_MS || IS_WINDOWS ? this.inspect() : { kind: 'held', owner: this.lastOwner };
      if (now - lastInspect >= INSPECT_EVERY_MS) lastInspect = now;
      if (seen.kind === 'held') {
        this.lastOwner = seen.owner;
        immediateRetries = 0;
      } else if (immediateRetries < 3) {
        // The lock was just freed (or a stale owner removed): try again at once, a few times.
        immediateRetries += 1;
        continue;
      }
      if (!slowReported && waited >= this.settings.slowLockMs) {
        slowReported = true;
        this.hooks.emit({ type: 'slow-lock', path: this.target, waitedMs: Math.round(waited), owner: this.lastOwner });
      }
      if (this.dirWatcher !== null && !IS_WINDOWS) {
        await this.pause(WATCHED_POLL_MIN_MS + Math.random() * WATCHED_POLL_JITTER_MS);
        continue;
      }
      const ceiling = Math.min(BACKOFF_CAP_MS, BACKOFF_START_MS * BACKOFF_FACTOR ** backoffStep);
      backoffStep += 1;
      await this.pause(0.25 + Math.random() * ceiling);
    }
  }

  private stopWatching(): void {
    this.dirWatcher?.close();
    this.dirWatcher = null;
  }

  /** Removes the kept staging directory and stops watching it. Not while an acquisition is under way. */
  close(): void {
    if (this.idleTimer !== undefined) clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    this.stopWatching();
    const kept = this.staging;
    this.setStaging(null);
    if (kept !== null) this.unstage(kept.path, kept.token);
  }

  /** Sets the kept staging directory; while there is one, it is removed at process exit. */
  private setStaging(staging: { path: string; token: string } | null): void {
    this.staging = staging;
    if (staging === null) keepingStaging.delete(this);
    else keepStagingUntilExit(this);
  }

  private scheduleIdleCleanup(): void {
    if (this.staging === null || this.idleTimer !== undefined) return;
    this.idleTimer = setTimeout(() => {
      this.idleTimer = undefined;
      this.close();
    }, STAGING_IDLE_MS);
    this.idleTimer.unref();
  }

  /** Sleeps up to `ms`, or less when our staging directory is handed the lock (see watchStaging). */
  private pause(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      const self = this;
      function done(): void {
        clearTimeout(timer);
        if (self.wake === done) self.wake = null;
        resolve();
      }
      this.wake = done;
    });
  }

  /**
   * Watches our own staging directory, not the shared folder: the releaser moving our record into
   * the lock is the one event this waiter needs, so it is woken once per hand-over instead of on every
   * temp file, backup and rename the holders make there (a dozen wake-ups per commit per waiter).
   * Anything else (a lock freed without hand-over, a dead owner) is caught by the backoff polling.
   */
  private watchStaging(staging: string): void {
    this.stopWatching();
    if (this.watchBroken) return;
    try {
      // Any change in our own staging directory is about us: our record moved out (hand-over).
      this.dirWatcher = this.fs.watchDir(
        staging,
        () => this.wake?.(),
        (error) => this.disableWatch(error),
      );
    } catch (error) {
      this.disableWatch(error);
    }
  }

  private disableWatch(error: unknown): void {
    // Waiting still works on the backoff timers alone, only with a slower hand-over.
    this.watchBroken = true;
    this.stopWatching();
    this.hooks.emit({ type: 'error', path: this.target, code: errnoCode(error) ?? 'UNKNOWN', message: `cannot watch the lock staging directory of ${this.target} (${describeCause(error)}); falling back to polling` });
  }

  private took(token: string, owner: LockOwner, recordName = `${token}.json`): HeldLock {
    const held: HeldLock = { token, ownerFile: join(this.lockDir, recordName), owner, lost: false, heartbeat: undefined };
    this.startHeartbeat(held);
    this.lastOwner = null;
    return held;
  }

  /** The lock, if the last holder moved our record out of our staging directory into the lock. */
  private handedOver(staging: string, token: string, owner: LockOwner): HeldLock | null {
    if (this.exists(join(staging, `${token}.json`))) return null;
    const mine = this.claimHandedRecord(token);
    // The staging directory, now empty, is kept for this handle's next acquisition.
    return mine === null ? null : this.took(token, owner, mine);
  }

  /** Our record's name in the lock directory if the lock was rightfully handed to us, else null. */
  private claimHandedRecord(token: string): string | null {
    const names = this.lockRecords();
    const mine = names.find((name) => recordToken(name) === token);
    if (mine === undefined) return null;
    // A hand-over names our record `<our token>~<releaser's token>.json`. Any record besides ours
    // and the releaser's means the releaser had lost the lock (paused past staleMs) before it handed
    // it over: the lock is that other owner's. Step back and wait again rather than hold it too.
    const releaser = releaserToken(mine);
    const foreign = names.filter((name) => name !== mine && (releaser === undefined || recordToken(name) !== releaser));
    if (foreign.length > 0) {
      this.removeRecord(mine);
      this.hooks.emit({ type: 'error', path: this.target, code: 'LOCK_COMPROMISED', message: `the lock on ${this.target} was handed to this process by an owner that had already lost it to ${foreign.join(', ')}; waiting again` });
      return null;
    }
    // Ours now: clear the releaser's record if it is still there (it may be stalled, or dead), so
    // the lock directory holds exactly one record and nobody judges the lock by a stale one.
    for (const name of names) if (name !== mine) this.removeRecord(name);
    return mine;
  }

  /** Unlinks a record in the lock directory; one already gone is fine. */
  private removeRecord(name: string): void {
    try {
      this.fs.unlinkSync(join(this.lockDir, name));
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') throw error;
    }
  }

  /** The `*.json` owner records in the lock directory (none when it does not exist). */
  private lockRecords(): string[] {
    try {
      return this.fs.readdirSync(this.lockDir).filter((name) => name.endsWith('.json'));
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return [];
      throw error;
    }
  }

  private exists(path: string): boolean {
    try {
      this.fs.statSync(path);
      return true;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return false;
      throw error;
    }
  }

  /**
   * The record of the waiter that has waited longest: same host, alive, still in its staging
   * directory (a directory still being staged has none yet and is handed nothing).
   */
  private oldestWaiter(): { record: string; token: string } | null {
    let best: { record: string; token: string; sinceMs: number } | null = null;
    for (const entry of findLeftovers(this.target, this.fs)) {
      if (entry.kind !== 'lock-staging' || entry.hostHash !== HOST_HASH) continue;
      if (!isPidAlive(entry.pid)) {
        // A process killed while it kept its staging directory: sweep it now, not at the next interval.
        this.hooks.onDeadLeftover();
        continue;
      }
      const token = basename(entry.path).split('.').at(-2) ?? '';
      const record = join(entry.path, `${token}.json`);
      let sinceMs: number;
      try {
        const stat = this.fs.statSync(record);
        // Created but not yet written: handing it over would make an unreadable lock record.
        if (stat.size === 0) continue;
        sinceMs = stat.mtimeMs;
      } catch (error) {
        if (errnoCode(error) === 'ENOENT') continue;
        throw error;
      }
      if (best === null || sinceMs < best.sinceMs) best = { record, token, sinceMs };
    }
    return best === null ? null : { record: best.record, token: best.token };
  }

  timeoutMessage(waitedMs: number): string {
    return (
      `Timed out after ${Math.round(waitedMs)} ms waiting for the lock on ${this.target}, held by ${describeOwner(this.lastOwner)}. ` +
      `If that process hangs, stop it: a dead owner's lock is taken over at once, a silent one after ${this.settings.staleMs} ms without heartbeat. ` +
      'Or raise lock.timeoutMs / the update timeoutMs.'
    );
  }

  /** Whether `held` is still ours: the heartbeat did not see it lost and the owner record exists. */
  stillHeld(held: HeldLock): boolean {
    if (held.lost) return false;
    try {
      this.fs.statSync(held.ownerFile);
      return true;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return false;
      throw error;
    }
  }

  /** Releases the lock. Returns false when it had been taken over (our record was gone). */
  release(held: HeldLock): boolean {
    try {
      return this.releaseHeld(held);
    } finally {
      this.scheduleIdleCleanup();
    }
  }

  private releaseHeld(held: HeldLock): boolean {
    if (held.heartbeat !== undefined) clearInterval(held.heartbeat);
    // Hand over first, while our record still keeps the lock directory non-empty: no newcomer can
    // slip in between. Only while the lock is provably still ours.
    let handed: { from: string; to: string; token: string } | null = null;
    try {
      handed = !IS_WINDOWS && !held.lost && this.exists(held.ownerFile) ? this.handOver(held.token) : null;
    } catch (error) {
      // Freeing the lock below still works; only the first-come-first-served hand-over is lost.
      this.hooks.emit({ type: 'error', path: this.target, code: errnoCode(error) ?? 'UNKNOWN', message: `handing the lock on ${this.target} to the next waiter failed: ${describeCause(error)}; freeing it instead` });
    }
    let wasOurs = true;
    try {
      this.fs.unlinkSync(held.ownerFile);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') {
        // The record stays: waiters recover it after staleMs. Nothing else to do but say so.
        this.hooks.emit({ type: 'error', path: this.target, code: errnoCode(error) ?? 'UNKNOWN', message: `could not remove lock record ${held.ownerFile}: ${describeCause(error)}` });
        return true;
      }
      // Gone: taken over while we held it, or (after a hand-over) already removed by the waiter,
      // which clears its releaser's records when it takes the lock. Only another owner's record
      // beside the waiter's says we had lost the lock before handing it over.
      wasOurs = handed !== null && !this.foreignBesideHandOver(handed.token);
      if (handed !== null && !wasOurs) {
        this.undoHandOver(handed);
        this.pokeWaiters();
      }
    }
    if (handed !== null) {
      this.fs.step?.('lock-released', this.target);
      return wasOurs;
    }
    this.removeEmptyLock();
    this.fs.step?.('lock-released', this.target);
    if (!IS_WINDOWS) this.pokeWaiters();
    return wasOurs;
  }

  /**
   * A waiter that staged after our hand-over look found the lock still ours and went back to sleep:
   * touching its staging directory wakes its watcher, so it takes the now free lock at once instead
   * of at its next poll.
   */
  private pokeWaiters(): void {
    let entries: ReturnType<typeof findLeftovers>;
    try {
      entries = findLeftovers(this.target, this.fs);
    } catch (error) {
      this.hooks.emit({ type: 'error', path: this.target, code: errnoCode(error) ?? 'UNKNOWN', message: `the lock on ${this.target} is free, but listing its waiters to wake them failed: ${describeCause(error)}; they take it at their next poll` });
      return;
    }
    for (const entry of entries) {
      if (entry.kind !== 'lock-staging' || entry.hostHash !== HOST_HASH) continue;
      try {
        const now = new Date();
        this.fs.utimesSync(entry.path, now, now);
      } catch (error) {
        // It took the lock or gave up meanwhile: nobody left to wake there.
        if (errnoCode(error) === 'ENOENT') continue;
        // Another user's directory (only its owner may set its times) fails on every release: say it once.
        if (this.unwakeable.has(entry.path)) continue;
        this.unwakeable.add(entry.path);
        this.hooks.emit({ type: 'error', path: this.target, code: errnoCode(error) ?? 'UNKNOWN', message: `could not wake the lock waiter at ${entry.path}: ${describeCause(error)}; it takes the lock at its next poll (reported once per waiter)` });
      }
    }
  }

  /**
   * Moves the oldest waiter's record into the lock directory (a rename: atomic, and it fails when
   * the waiter gave up meanwhile and removed it). Returns whether a waiter now holds the lock.
   */
  private handOver(ourToken: string): { from: string; to: string; token: string } | null {
    const next = this.oldestWaiter();
    if (next === null) return null;
    const moved = { from: next.record, to: join(this.lockDir, `${next.token}${HANDOVER_SEPARATOR}${ourToken}.json`), token: next.token };
    try {
      this.fs.renameSync(moved.from, moved.to);
      return moved;
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return null;
      throw error;
    }
  }

  /** Removes the lock directory if it is empty; a non-empty or missing one is someone else's now. */
  private removeEmptyLock(): void {
    try {
      this.fs.rmdirSync(this.lockDir);
    } catch (error) {
      const code = errnoCode(error);
      if (code === undefined || !RMDIR_RACE_CODES.has(code)) throw error;
    }
  }

  /** Whether the lock directory holds a record that is neither the waiter's nor one it handed on. */
  private foreignBesideHandOver(waiterToken: string): boolean {
    return this.lockRecords().some((name) => recordToken(name) !== waiterToken && releaserToken(name) !== waiterToken);
  }

  /**
   * We were taken over (paused past staleMs) between checking our record and handing over: the
   * waiter's record went into another holder's lock. Remove it: a waiter that has not woken yet
   * finds its record gone and stages again; one that already woke is refused by its fence
   * (LOCK_COMPROMISED) instead of committing next to the rightful owner. Not moved back: a record
   * reappearing in the staging directory of a waiter that has moved on would be handed the lock.
   */
  private undoHandOver(moved: { from: string; to: string }): void {
    try {
      this.fs.unlinkSync(moved.to);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return;
      this.hooks.emit({
        type: 'error',
        path: this.target,
        code: errnoCode(error) ?? 'UNKNOWN',
        message: `this process lost the lock on ${this.target} while handing it over, and could not remove the waiter's record ${moved.to}: ${describeCause(error)}; the owner of ${this.lockDir} may see its commit refused`,
      });
    }
  }

  /** Removes the lock when its owner is provably dead (same host, pid gone). Returns whether it did. */
  clearIfOwnerDead(): boolean {
    const seen = this.inspect(true);
    return seen.kind === 'taken-over';
  }

  /**
   * Writes our owner record into the staging directory, creating the directory unless it is kept.
   * Returns true when it (re)created the directory: a watch on a removed directory hears nothing.
   */
  private stage(staging: string, owner: LockOwner, kept: boolean): boolean {
    let created = !kept;
    try {
      if (!kept) this.fs.mkdirSync(staging);
      const record = join(staging, `${owner.token}.json`);
      let fd: number;
      try {
        fd = this.fs.openSync(record, 'wx');
      } catch (error) {
        const code = errnoCode(error);
        // Our record from a wait that ended in an error is still queued: keep its place.
        if (kept && code === 'EEXIST') return false;
        // The kept directory was removed behind our back (by hand, or a sweep on another host).
        if (!kept || code !== 'ENOENT') throw error;
        this.fs.mkdirSync(staging);
        created = true;
        fd = this.fs.openSync(record, 'wx');
      }
      try {
        const bytes = Buffer.from(JSON.stringify(owner));
        let offset = 0;
        while (offset < bytes.length) offset += this.fs.writeSync(fd, bytes, offset, bytes.length - offset, null);
      } finally {
        this.fs.closeSync(fd);
      }
      return created;
    } catch (error) {
      // `staging` is this handle's staging directory: close() removes it (and our record, if any).
      this.close();
      const folder = dirname(this.target);
      const missing = errnoCode(error) === 'ENOENT' && !this.exists(folder);
      throw new AtomicFileError(
        'WRITE_FAILED',
        missing
          ? `The folder ${folder} of ${this.target} does not exist: create it first. Nothing was written.`
          : `Could not prepare the lock for ${this.target} in ${staging} (${describeCause(error)}). Check that the directory exists, is writable and not full.`,
        { path: this.target, operation: 'lock', cause: error },
      );
    }
  }

  private unstage(staging: string, token: string): void {
    for (const path of [join(staging, `${token}.json`)]) {
      try {
        this.fs.unlinkSync(path);
      } catch (error) {
        if (errnoCode(error) !== 'ENOENT') this.reportCleanup(path, error);
      }
    }
    try {
      this.fs.rmdirSync(staging);
    } catch (error) {
      if (errnoCode(error) !== 'ENOENT') this.reportCleanup(staging, error);
    }
  }

  private reportCleanup(path: string, error: unknown): void {
    this.hooks.emit({ type: 'error', path: this.target, code: errnoCode(error) ?? 'UNKNOWN', message: `could not remove ${path}: ${describeCause(error)}; it is swept once this process has exited` });
  }

  private inspect(onlyDeadOwners = false): Inspection {
    let names: string[];
    try {
      names = this.fs.readdirSync(this.lockDir);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT' || errnoCode(error) === 'ENOTDIR') return { kind: 'free' };
      throw error;
    }
    const recordName = currentRecord(names);
    if (recordName === undefined) {
      if (names.length > 0) return { kind: 'held', owner: null };
      // An empty lock directory means "free". POSIX renames onto it; Windows cannot, so remove it.
      this.removeEmptyLock();
      return { kind: 'free' };
    }
    const token = recordToken(recordName);
    const recordPath = join(this.lockDir, recordName);
    let mtimeMs: number;
    let ino: number;
    let owner: LockOwner | null;
    try {
      const stat = this.fs.statSync(recordPath);
      ({ mtimeMs, ino } = stat);
      owner = this.readOwner(token, ino, recordPath);
      if (owner !== null) owner = acquiredAtOf(owner, recordName, stat);
    } catch (error) {
      if (errnoCode(error) === 'ENOENT') return { kind: 'free' };
      throw error;
    }
    const now = performance.now();
    let reason: string | null = null;
    if (owner !== null && owner.host === HOST && !isPidAlive(owner.pid)) {
      reason = `owner process ${owner.pid} on this host is dead`;
    } else if (!onlyDeadOwners) {
      // A handle reuses its token: a new record (new inode) is a new acquisition even at the same mtime.
      if (this.observed === null || this.observed.token !== token || this.observed.ino !== ino || this.observed.mtimeMs !== mtimeMs) {
        this.observed = { token, ino, mtimeMs, sinceMs: now };
      } else if (now - this.observed.sinceMs >= this.settings.staleMs) {
        reason = `no heartbeat for ${Math.round(now - this.observed.sinceMs)} ms (staleMs ${this.settings.staleMs})`;
      }
    }
    if (reason === null) return { kind: 'held', owner };
    try {
      this.fs.unlinkSync(recordPath);
    } catch (error) {
      // Another waiter removed it first: exactly one racer wins the takeover.
      if (errnoCode(error) === 'ENOENT') return { kind: 'free' };
      throw error;
    }
    this.observed = null;
    this.hooks.onStaleTakeover();
    this.hooks.emit({ type: 'stale-lock', path: this.target, owner, reason, ageMs: Math.max(0, Math.round(Date.now() - mtimeMs)) });
    return { kind: 'taken-over' };
  }

  private readOwner(token: string, ino: number, recordPath: string): LockOwner | null {
    if (this.ownerCache !== null && this.ownerCache.token === token && this.ownerCache.ino === ino) return this.ownerCache.owner;
    let owner: LockOwner | null;
    try {
      owner = parseOwner(this.fs.readFileSync(recordPath).toString('utf8'), token);
    } catch (error) {
      if (!(error instanceof SyntaxError)) throw error;
      // Unreadable (or still being written): judged by heartbeat alone this time, read again next time.
      owner = null;
    }
    if (owner !== null) this.ownerCache = { token, ino, owner };
    return owner;
  }

  private startHeartbeat(held: HeldLock): void {
    const timer = setInterval(() => {
      try {
        const now = new Date();
        this.fs.utimesSync(held.ownerFile, now, now);
      } catch (error) {
        if (errnoCode(error) === 'ENOENT') {
          held.lost = true;
          clearInterval(timer);
          return;
        }
        this.hooks.emit({ type: 'error', path: this.target, code: errnoCode(error) ?? 'UNKNOWN', message: `lock heartbeat on ${held.ownerFile} failed: ${describeCause(error)}` });
      }
    }, this.settings.heartbeatMs);
    timer.unref();
    held.heartbeat = timer;
  }
}

/** The owner of `path`'s lock, or null when it is not locked. */
export function readLockOwner(path: string, fs: FileSystemLayer = nodeFileSystem): LockOwner | null {
  const target = resolveTarget(path, fs);
  const lockDir = lockDirPath(target);
  let names: string[];
  try {
    names = fs.readdirSync(lockDir);
  } catch (error) {
    if (errnoCode(error) === 'ENOENT') return null;
    throw new AtomicFileError('READ_FAILED', `Could not list the lock directory ${lockDir} of ${target}: ${describeCause(error)}. Check its permissions.`, {
      path: target,
      operation: 'read-lock-owner',
      cause: error,
    });
  }
  const recordName = currentRecord(names);
  if (recordName === undefined) return null;
  const token = recordToken(recordName);
  const recordPath = join(lockDir, recordName);
  let text: string;
  try {
    text = fs.readFileSync(recordPath).toString('utf8');
  } catch (error) {
    // Released between the listing and the read.
    if (errnoCode(error) === 'ENOENT') return null;
    throw new AtomicFileError('READ_FAILED', `Could not read the lock record ${recordPath}: ${describeCause(error)}. Check its permissions.`, {
      path: target,
      operation: 'read-lock-owner',
      cause: error,
    });
  }
  let owner: LockOwner | null;
  try {
    owner = parseOwner(text, token);
  } catch (error) {
    throw new AtomicFileError('CORRUPT', `The lock record ${recordPath} is not valid JSON. Remove ${lockDir} once no process uses ${target}.`, {
      path: target,
      operation: 'read-lock-owner',
      cause: error,
    });
  }
  if (owner === null) {
    throw new AtomicFileError('CORRUPT', `The lock record ${recordPath} has no pid/host. Remove ${lockDir} once no process uses ${target}.`, {
      path: target,
      operation: 'read-lock-owner',
    });
  }
  if (releaserToken(recordName) === undefined) return owner;
  try {
    return acquiredAtOf(owner, recordName, fs.statSync(recordPath));
  } catch (error) {
    // Released between the read and the stat.
    if (errnoCode(error) === 'ENOENT') return null;
    throw new AtomicFileError('READ_FAILED', `Could not stat the lock record ${recordPath}: ${describeCause(error)}. Check its permissions.`, {
      path: target,
      operation: 'read-lock-owner',
      cause: error,
    });
  }
}
