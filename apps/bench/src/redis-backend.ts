import { isTrainData, type TrainData } from '@rail/schema';
import type { RedisAppendfsync } from './contenders.js';
import { buildTrainData, readCounter } from './document.js';
import { BenchError } from './errors.js';
import type { FinalCounter } from './workspace.js';
import { diskWarning } from './workspace.js';

/** The slice of `@rail/redis-store` the bench's parent process uses (typed here: its dist may not exist yet). */
interface RedisStoreHandle {
  read(): Promise<{ value: unknown; revision: number }>;
  write(value: unknown): Promise<{ revision: number }>;
  update(fn: (draft: any) => unknown): Promise<{ revision: number }>;
  close(): Promise<void>;
}

type OpenStore = (url: string, options: { validate: (value: unknown) => boolean; create?: () => unknown }) => RedisStoreHandle;

/** What `@rail/redis-store/testing`'s `startRedisServer` returns (the part the bench uses). */
interface RedisServerLike {
  readonly port: number;
  readonly dir: string;
  url(key: string): string;
  stop(): Promise<void>;
}

type StartRedisServer = (options: { appendfsync: RedisAppendfsync }) => Promise<RedisServerLike>;

export type RedisAvailability =
  | { ok: true; openStore: OpenStore; startRedisServer: StartRedisServer; diskWarning: string | null }
  | { ok: false; reason: string };

// Through variables so tsc does not need the package's .d.ts, which exists only once it is built.
const PACKAGE = '@rail/redis-store';
const TESTING = '@rail/redis-store/testing';

const describe = (error: unknown): string => (error instanceof Error ? `${error.name}: ${error.message}` : String(error));

/** A started redis-server holding one key seeded with the row's document. */
export interface RedisRowStore {
  /** `redis://127.0.0.1:<port>/<key>`: what the workers open. */
  readonly url: string;
  /** The server's data directory (its AOF). */
  readonly dir: string;
  /** The counter as a fresh handle reads it through `read()` (validated). */
  readFinalCounter(): Promise<FinalCounter>;
  /** Stops the server (by pid) and removes its directory. */
  stop(): Promise<void>;
}

/**
 * Starts a redis-server with the given AOF policy (a fresh one, so every row starts from an empty
 * AOF, as the file and SQLite rows start from a fresh file) and writes `doc` to `key`.
 */
export async function startRedisRowStore(redis: Extract<RedisAvailability, { ok: true }>, appendfsync: RedisAppendfsync, doc: TrainData, key: string): Promise<RedisRowStore> {
  let server: RedisServerLike;
  try {
    server = await redis.startRedisServer({ appendfsync });
  } catch (error) {
    throw new BenchError('SETUP_FAILED', `starting redis-server (appendfsync ${appendfsync}) for ${key} failed: ${describe(error)}. Check that redis-server starts by hand.`, { cause: error });
  }
  const url = server.url(key);
  try {
    const seed = redis.openStore(url, { validate: isTrainData, create: () => doc });
    try {
      await seed.write(doc);
    } finally {
      await seed.close();
    }
  } catch (error) {
    await server.stop();
    throw new BenchError('SETUP_FAILED', `seeding ${url} with the bench document failed: ${describe(error)}. Check redis-server's log in ${server.dir}.`, { cause: error });
  }
  return {
    url,
    dir: server.dir,
    readFinalCounter: async () => {
      const handle = redis.openStore(url, { validate: isTrainData });
      try {
        const snapshot = await handle.read();
        const value = readCounter(snapshot.value as TrainData);
        if (typeof value !== 'number') return { ok: false, problem: `counter (trains.train_1.model.distanceM) missing in ${url} after the run` };
        return { ok: true, value };
      } catch (error) {
        // A stored document that no longer validates is a result of the row (like a corrupt file), not a bench failure.
        if ((error as { code?: unknown }).code === 'CORRUPT') return { ok: false, problem: `document left corrupt in ${url} (${describe(error)})` };
        throw new BenchError('WORKER_FAILED', `reading the final counter from ${url} failed: ${describe(error)}. Check that redis-server is still running.`, { cause: error });
      } finally {
        await handle.close();
      }
    },
    stop: () => server.stop(),
  };
}

/**
 * Whether the Redis rows can run: `@rail/redis-store` is built, `redis-server` is installed, and one
 * update on a scratch server commits. The rows are skipped (with this reason) rather than failing the run.
 */
export async function probeRedis(): Promise<RedisAvailability> {
  let openStore: unknown;
  let startRedisServer: unknown;
  try {
    ({ openStore } = (await import(PACKAGE)) as { openStore?: unknown });
    ({ startRedisServer } = (await import(TESTING)) as { startRedisServer?: unknown });
  } catch (error) {
    return { ok: false, reason: `cannot import ${PACKAGE} (build it: pnpm --filter @rail/redis-store build): ${describe(error)}` };
  }
  if (typeof openStore !== 'function' || typeof startRedisServer !== 'function') {
    return { ok: false, reason: `${PACKAGE} does not export openStore, or ${TESTING} does not export startRedisServer` };
  }
  const candidate = { ok: true as const, openStore: openStore as OpenStore, startRedisServer: startRedisServer as StartRedisServer, diskWarning: null };
  let store: RedisRowStore;
  try {
    store = await startRedisRowStore(candidate, 'always', buildTrainData(1), 'bench:probe');
  } catch (error) {
    // startRedisServer's own message names redis-server and how to install it.
    const cause = BenchError.isInstance(error) && error.cause !== undefined ? error.cause : error;
    return { ok: false, reason: describe(cause) };
  }
  try {
    const handle = candidate.openStore(store.url, { validate: isTrainData });
    try {
      await handle.update((draft: { trains: { train_1: { model: { distanceM: number } } } }) => {
        draft.trains.train_1.model.distanceM += 1;
      });
    } finally {
      await handle.close();
    }
    const final = await store.readFinalCounter();
    if (!final.ok || final.value !== 1) return { ok: false, reason: `${PACKAGE}: after one update the counter reads ${final.ok ? final.value : final.problem}, expected 1` };
    // startRedisServer puts the AOF under os.tmpdir(), not under --dir: check that disk too.
    const onTmpfs = diskWarning(store.dir) !== null;
    return {
      ...candidate,
      diskWarning: onTmpfs ? `redis-server's data directory (${store.dir}, under os.tmpdir()) is on tmpfs: appendfsync always costs nothing there. Set TMPDIR to a directory on a real disk.` : null,
    };
  } catch (error) {
    return { ok: false, reason: `${PACKAGE} failed a one-update probe: ${describe(error)}` };
  } finally {
    await store.stop();
  }
}
