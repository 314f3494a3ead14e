import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, statfsSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import type { TrainData } from '@rail/schema';
import type { StorageKind } from './contenders.js';
import { readCounter } from './document.js';

const TMPFS_MAGIC = 0x01021994;

/** Refuses nothing, but says when fsync would be free (tmpfs): such numbers mean nothing for a disk. */
export function diskWarning(dir: string): string | null {
  const stats = statfsSync(dir);
  return stats.type === TMPFS_MAGIC ? `${dir} is on tmpfs: fsync costs nothing there, so the durable rows are not a disk's figures. Pass --dir on a real disk.` : null;
}

function writeDurably(path: string, text: string): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, text);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** The stores that live in the row's directory (Redis lives in its own server: see redis-backend.ts). */
export type LocalStorageKind = Exclude<StorageKind, 'redis'>;

/** Creates `dir` holding the initial document for `storage`; returns the path the workers open. */
export function prepareStore(dir: string, storage: LocalStorageKind, doc: TrainData): string {
  mkdirSync(dir, { recursive: true });
  if (storage === 'file') {
    const path = join(dir, 'train_data.json');
    writeDurably(path, JSON.stringify(doc));
    return path;
  }
  const path = join(dir, 'bench.sqlite');
  const db = new Database(path);
  try {
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE counter (id INTEGER PRIMARY KEY, value INTEGER NOT NULL)');
    db.exec('CREATE TABLE documents (id INTEGER PRIMARY KEY, doc TEXT NOT NULL)');
    db.prepare('INSERT INTO counter (id, value) VALUES (1, ?)').run(readCounter(doc) ?? 0);
    db.prepare('INSERT INTO documents (id, doc) VALUES (1, ?)').run(JSON.stringify(doc));
  } finally {
    db.close();
  }
  return path;
}

export type FinalCounter = { ok: true; value: number } | { ok: false; problem: string };

/**
 * The counter's committed value at the end of a run. An unlocked, non-atomic contender can leave the
 * document corrupt (e.g. two in-place writes of different lengths): that is a result, not a bench error.
 */
export function readFinalCounter(path: string, storage: LocalStorageKind): FinalCounter {
  let value: unknown;
  if (storage === 'file') {
    const text = readFileSync(path, 'utf8');
    try {
      value = readCounter(JSON.parse(text) as TrainData);
    } catch (error) {
      return { ok: false, problem: `document left corrupt (${text.length} bytes: ${error instanceof Error ? error.message : String(error)})` };
    }
  } else {
    const db = new Database(path, { readonly: true });
    try {
      value =
        storage === 'sqlite-counter'
          ? db.prepare('SELECT value FROM counter WHERE id = 1').pluck().get()
          : readCounter(JSON.parse(String(db.prepare('SELECT doc FROM documents WHERE id = 1').pluck().get())) as TrainData);
    } finally {
      db.close();
    }
  }
  if (typeof value !== 'number') return { ok: false, problem: 'counter (trains.train_1.model.distanceM) missing after the run' };
  return { ok: true, value };
}
