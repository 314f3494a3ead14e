import { readdirSync } from 'node:fs';
import { mkdir, readdir, readFile, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { listTempFiles, type SharedDocument } from '@rail/atomic-file';
import { openStore, parseStoreUrl, redisHealth, RedisStoreError, type RedisHealth, type RedisLocation } from '@rail/redis-store';
import { isTrainData, parseTrainData, type TrainData } from '@rail/schema';
import { SimError } from './errors.js';
import { DEFAULT_FILE } from './paths.js';
import { ledgerDirOf, prepareFreshFile } from './prepare-file.js';

/** How long the parent watches a Redis key before a run to tell whether another run writes it, ms. */
const BUSY_SAMPLE_MS = 400;
const HEALTH_TIMEOUT_MS = 2_000;

/** The final committed document, or why it could not be read (a corrupt read for the summary). */
export type FinalRead = { ok: true; value: TrainData } | { ok: false; message: string };

/**
 * What the run needs to know about its store, for a file and for Redis alike: how to open it (the
 * same URL goes to every module process), where the ledgers go, how to read the end state.
 */
export interface DemoStore {
  kind: 'file' | 'redis';
  /** What the module processes are given (a path or the URL). */
  url: string;
  /** For people: the path, or the URL with any password hidden. */
  display: string;
  ledgerDir: string;
  /** Clears the way for a fresh run; refuses a store another run is using or that holds foreign data. */
  prepare(log: (line: string) => void): Promise<void>;
  open(label: string, create?: () => TrainData): SharedDocument<TrainData>;
  /** The final document, read after every writer has exited. */
  readFinal(): Promise<FinalRead>;
  /** Temp files left next to the file; null for Redis, which writes none. */
  tempFilesLeft(): number | null;
  /** The Redis server's view (persistence, last writer, …); null for a file. */
  health(): Promise<RedisHealth | null>;
  /**
   * The damaged copies the file store set aside (`<file>.corrupt-<time>-<token>`) each time it
   * restored the file from its backup; null for Redis, which keeps none.
   */
  damagedCopies(): string[] | null;
}

export function demoStore(url: string, ledgerDir: string | null): DemoStore {
  const location = parseStoreUrl(url);
  if (location.kind === 'file') return fileStore(location.path, ledgerDir);
  return redisStore(url, location, ledgerDir);
}

function openWithLabel(url: string, label: string, create?: () => TrainData): SharedDocument<TrainData> {
  return openStore<TrainData>(url, { validate: isTrainData, ...(create ? { create } : {}), file: { lock: { label } }, redis: { label } });
}

function fileStore(path: string, ledgerDir: string | null): DemoStore {
  const ledgers = ledgerDir ?? ledgerDirOf(path);
  return {
    kind: 'file',
    url: path,
    display: path,
    ledgerDir: ledgers,
    prepare: async () => {
      await prepareFreshFile(path);
      await freshLedgerDir(ledgers);
    },
    open: (label, create) => openWithLabel(path, label, create),
    readFinal: async () => {
      // The raw text, not the store's read: a store would quietly restore a damaged file from its
      // backup, and the run must count that as a corrupt read.
      const parsed = parseTrainData(await readFile(path, 'utf8'), { source: path });
      return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, message: parsed.error.message };
    },
    tempFilesLeft: () => listTempFiles(path).length,
    health: async () => null,
    damagedCopies: () => {
      const prefix = `${basename(path)}.corrupt-`;
      return readdirSync(dirname(path))
        .filter((name) => name.startsWith(prefix))
        .sort()
        .map((name) => join(dirname(path), name));
    },
  };
}

function redisStore(url: string, location: RedisLocation, ledgerDir: string | null): DemoStore {
  const safeKey = encodeURIComponent(location.key).replace(/%/g, '_');
  const ledgers = ledgerDir ?? join(DEFAULT_FILE, '..', `${location.host}-${location.port}-${location.db}-${safeKey}.commits`);
  return {
    kind: 'redis',
    url,
    display: location.display,
    ledgerDir: ledgers,
    prepare: async (log) => {
      const health = await redisHealth(url, { validate: isTrainData, sampleMs: BUSY_SAMPLE_MS, timeoutMs: HEALTH_TIMEOUT_MS });
      if (!health.reachable || health.error !== null) {
        throw new SimError(
          'STORE_FAILED',
          `cannot use ${location.display}: ${health.error ?? 'the server did not answer'}. Start redis-server there (redis-server --port ${location.port} --appendonly yes --appendfsync always), or pass another --store.`,
        );
      }
      if (health.revisionMoving === true) {
        throw new SimError('FILE_BUSY', `${location.display} is in use: its revision changed within ${BUSY_SAMPLE_MS} ms (last writer ${health.lastWriter?.label ?? 'unknown'}). Stop that run first, or pass another key.`);
      }
      if (health.exists && health.documentValid !== true) {
        throw new SimError('FILE_NOT_OURS', `${location.display} holds something that is not a train_data document (${health.issues[0]?.message ?? 'invalid'}); the demo recreates its document, so it will not replace this one. Pass another key.`);
      }
      if (health.persistence !== null && !health.persistence.everyAckDurable) {
        log(`note: ${location.display} runs with appendonly ${health.persistence.aof ? 'yes' : 'no'}, appendfsync ${health.persistence.appendfsync ?? 'unknown'}: a crash of Redis can lose acknowledged updates (use --appendonly yes --appendfsync always).`);
      }
      await freshLedgerDir(ledgers);
    },
    open: (label, create) => openWithLabel(url, label, create),
    readFinal: async () => {
      const store = openWithLabel(url, 'final-check');
      try {
        return { ok: true, value: (await store.read()).value };
      } catch (error) {
        if (!RedisStoreError.isInstance(error)) throw error;
        return { ok: false, message: `${error.code}: ${error.message}` };
      } finally {
        await store.close();
      }
    },
    tempFilesLeft: () => null,
    health: () => redisHealth(url, { timeoutMs: HEALTH_TIMEOUT_MS }),
    damagedCopies: () => null,
  };
}

/**
 * Removes only earlier runs' ledger files, never the folder or anything else in it: `--ledger-dir`
 * may name a folder the user keeps other things in.
 */
async function freshLedgerDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true });
  const old = (await readdir(dir)).filter((n) => /^commits-.+-\d+\.log$/.test(n));
  await Promise.all(old.map((n) => rm(join(dir, n), { force: true })));
}
