import { describeCause } from './errors.js';
import type { DirWatcher, FileSystemLayer } from './fs-layer.js';
import type { FileIdentity } from './read-document.js';
import type { Snapshot, WatchListener, WatchOptions } from './shared-document.js';

export interface WatchSource<T> {
  fs: FileSystemLayer;
  dir: string;
  basename: string;
  pollMs: number;
  /** The target's identity, or null when it does not exist. Cheap (one stat). */
  identity(): FileIdentity | null;
  /** The current committed state (never writes). */
  read(): Promise<{ snapshot: Snapshot<T>; identity: FileIdentity | null }>;
}

interface Subscriber<T> {
  listener: WatchListener<T>;
  onError: ((error: Error) => void) | undefined;
  /** Revision and identity last delivered (or the baseline when not immediate). */
  revision: number;
  key: string;
  active: boolean;
}

function keyOf(identity: FileIdentity | null): string {
  return identity === null ? 'missing' : `${identity.ino}:${identity.size}:${identity.mtimeMs}`;
}

/**
 * Tells listeners about new revisions: an fs.watch on the directory (the file itself is replaced
 * by rename, so a watch on its inode would go deaf after the first write), filtered to the
 * target's name and debounced to one stat per burst, plus a slow stat poll as a safety net for
 * file systems without change notification. Each listener sees revisions strictly increasing.
 */
export class RevisionWatcher<T> {
  private readonly subscribers = new Set<Subscriber<T>>();
  private dirWatcher: DirWatcher | null = null;
  private poll: ReturnType<typeof setInterval> | null = null;
  private scheduled: ReturnType<typeof setTimeout> | null = null;
  private checking = false;
  private dirty = false;
  private lastKey = '';

  constructor(private readonly source: WatchSource<T>) {}

  add(listener: WatchListener<T>, options: WatchOptions = {}): () => void {
    const subscriber: Subscriber<T> = { listener, onError: options.onError, revision: -1, key: '', active: true };
    this.subscribers.add(subscriber);
    this.start();
    const immediate = options.immediate ?? true;
    void this.source.read().then(
      ({ snapshot, identity }) => {
        if (!subscriber.active) return;
        if (immediate) this.deliver(subscriber, snapshot, keyOf(identity));
        else if (subscriber.revision < 0) {
          subscriber.revision = snapshot.revision;
          subscriber.key = keyOf(identity);
        }
      },
      (error: unknown) => this.fail(subscriber, error),
    );
    return () => {
      subscriber.active = false;
      this.subscribers.delete(subscriber);
      if (this.subscribers.size === 0) this.stop();
    };
  }

  /** A commit made by this process: deliver without waiting for the file-system event. */
  committed(snapshot: Snapshot<T>, identity: FileIdentity): void {
    const key = keyOf(identity);
    this.lastKey = key;
    for (const subscriber of this.subscribers) this.deliver(subscriber, snapshot, key);
  }

  close(): void {
    for (const subscriber of this.subscribers) subscriber.active = false;
    this.subscribers.clear();
    this.stop();
  }

  private start(): void {
    if (this.poll !== null) return;
    this.poll = setInterval(() => this.schedule(), this.source.pollMs);
    this.poll.unref();
    try {
      this.dirWatcher = this.source.fs.watchDir(
        this.source.dir,
        (filename) => {
          if (filename === null || filename === this.source.basename) this.schedule();
        },
        (error) => this.failAll(error),
      );
    } catch (error) {
      // Without change notification the poll still delivers, only slower: tell the listeners.
      this.failAll(error);
    }
  }

  private stop(): void {
    if (this.poll !== null) clearInterval(this.poll);
    this.poll = null;
    if (this.scheduled !== null) clearTimeout(this.scheduled);
    this.scheduled = null;
    this.dirWatcher?.close();
    this.dirWatcher = null;
  }

  private schedule(): void {
    if (this.checking) {
      this.dirty = true;
      return;
    }
    if (this.scheduled !== null) return;
    // A rename arrives as a short burst of events: one check a moment later covers them all.
    this.scheduled = setTimeout(() => {
      this.scheduled = null;
      void this.check();
    }, 2);
  }

  private async check(): Promise<void> {
    if (this.subscribers.size === 0) return;
    this.checking = true;
    try {
      const key = keyOf(this.source.identity());
      if (key === this.lastKey) return;
      const { snapshot, identity } = await this.source.read();
      this.lastKey = keyOf(identity);
      for (const subscriber of this.subscribers) this.deliver(subscriber, snapshot, this.lastKey);
    } catch (error) {
      this.failAll(error);
    } finally {
      this.checking = false;
      if (this.dirty) {
        this.dirty = false;
        this.schedule();
      }
    }
  }

  private deliver(subscriber: Subscriber<T>, snapshot: Snapshot<T>, key: string): void {
    if (!subscriber.active) return;
    const usesRevision = snapshot.revision > 0 || subscriber.revision > 0;
    const isNew = usesRevision ? snapshot.revision > subscriber.revision : key !== subscriber.key;
    if (!isNew) return;
    subscriber.revision = snapshot.revision;
    subscriber.key = key;
    try {
      subscriber.listener(structuredClone(snapshot));
    } catch (error) {
      this.fail(subscriber, error);
    }
  }

  private failAll(error: unknown): void {
    for (const subscriber of this.subscribers) this.fail(subscriber, error);
  }

  private fail(subscriber: Subscriber<T>, error: unknown): void {
    const err = error instanceof Error ? error : new Error(describeCause(error));
    if (subscriber.onError === undefined) {
      process.emitWarning(`@rail/atomic-file watch: ${err.message}`, 'AtomicFileWatchWarning');
      return;
    }
    try {
      subscriber.onError(err);
    } catch (thrown) {
      // The watcher is called from commits and timers: a throwing onError must not break them.
      process.emitWarning(`@rail/atomic-file watch: onError threw (${describeCause(thrown)}) while handling: ${err.message}`, 'AtomicFileWatchWarning');
    }
  }
}
