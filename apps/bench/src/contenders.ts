/** Every contender of the contended read-modify-write benchmark, and how each is configured. */
export const CONTENDER_IDS = [
  'atomic-file',
  'atomic-file-relaxed',
  'proper-lockfile+wfa',
  'atomically',
  'write-file-atomic',
  'steno',
  'plain-fs',
  'sqlite-counter',
  'sqlite-json',
  'redis-store',
  'redis-store-everysec',
] as const;

export type ContenderId = (typeof CONTENDER_IDS)[number];

/** The physical-floor loops (one process, no lock, no parse). */
export type FloorId = 'floor' | 'floor-dirsync';

/** Where a contender keeps the counter, which decides how the reader and the final check read it. */
export type StorageKind = 'file' | 'sqlite-counter' | 'sqlite-json' | 'redis';

/** The AOF fsync policy of the redis-server a Redis contender runs against. */
export type RedisAppendfsync = 'always' | 'everysec';

export interface ContenderInfo {
  id: ContenderId;
  /** Whether it claims no lost update across processes (the smoke test holds it to 0). */
  locked: boolean;
  storage: StorageKind;
  /** Needs packages/atomic-file/dist (built by another package's build). */
  needsAtomicFile: boolean;
  /** Runs against a redis-server the bench starts with this AOF policy; null for the other stores. */
  redisAppendfsync: RedisAppendfsync | null;
  config: string;
}

export const CONTENDERS: Readonly<Record<ContenderId, ContenderInfo>> = {
  'atomic-file': {
    id: 'atomic-file',
    locked: true,
    storage: 'file',
    needsAtomicFile: true,
    redisAppendfsync: null,
    config: "openJsonFile(path, { durability: 'durable', validate: isTrainData }); update(draft => { counter += 1 })",
  },
  'atomic-file-relaxed': {
    id: 'atomic-file-relaxed',
    locked: true,
    storage: 'file',
    needsAtomicFile: true,
    redisAppendfsync: null,
    config: "as above with durability: 'relaxed'",
  },
  'proper-lockfile+wfa': {
    id: 'proper-lockfile+wfa',
    locked: true,
    storage: 'file',
    needsAtomicFile: false,
    redisAppendfsync: null,
    config:
      'lock(path, { realpath: false, retries: { retries: 5000, factor: 1.5, minTimeout: 1, maxTimeout: 16, randomize: true } }) → fs.readFile → writeFileAtomic (fsync: true) → release()',
  },
  atomically: {
    id: 'atomically',
    locked: false,
    storage: 'file',
    needsAtomicFile: false,
    redisAppendfsync: null,
    config: "atomically.readFile → atomically.writeFile (defaults: fsync on), no lock",
  },
  'write-file-atomic': {
    id: 'write-file-atomic',
    locked: false,
    storage: 'file',
    needsAtomicFile: false,
    redisAppendfsync: null,
    config: 'fs.readFile → writeFileAtomic (defaults: fsync on), no lock',
  },
  steno: {
    id: 'steno',
    locked: false,
    storage: 'file',
    needsAtomicFile: false,
    redisAppendfsync: null,
    config: 'fs.readFile → new Writer(path).write (temp file + rename, no fsync), no lock',
  },
  'plain-fs': {
    id: 'plain-fs',
    locked: false,
    storage: 'file',
    needsAtomicFile: false,
    redisAppendfsync: null,
    config: 'readFileSync → writeFileSync in place: no lock, not atomic, no fsync',
  },
  'sqlite-counter': {
    id: 'sqlite-counter',
    locked: true,
    storage: 'sqlite-counter',
    needsAtomicFile: false,
    redisAppendfsync: null,
    config:
      'better-sqlite3, journal_mode=WAL, synchronous=FULL, busy_timeout=30000; BEGIN IMMEDIATE; UPDATE counter SET value = value + 1; COMMIT',
  },
  'sqlite-json': {
    id: 'sqlite-json',
    locked: true,
    storage: 'sqlite-json',
    needsAtomicFile: false,
    redisAppendfsync: null,
    config:
      'same database settings; BEGIN IMMEDIATE; SELECT doc → JSON.parse → increment → JSON.stringify → UPDATE doc; COMMIT',
  },
  'redis-store': {
    id: 'redis-store',
    locked: true,
    storage: 'redis',
    needsAtomicFile: false,
    redisAppendfsync: 'always',
    config:
      "redis-server 127.0.0.1 (startRedisServer: --appendonly yes --appendfsync always --save ''), a fresh server per row; openStore('redis://127.0.0.1:<port>/<key>', { validate: isTrainData }); update(draft => { counter += 1 }) (compare-and-set on the revision)",
  },
  'redis-store-everysec': {
    id: 'redis-store-everysec',
    locked: true,
    storage: 'redis',
    needsAtomicFile: false,
    redisAppendfsync: 'everysec',
    config: 'as redis-store with --appendfsync everysec (acknowledged before the AOF is fsynced)',
  },
};

/** The Redis contenders among `ids`. */
export function redisContenders(ids: readonly ContenderId[]): ContenderId[] {
  return ids.filter((id) => CONTENDERS[id].redisAppendfsync !== null);
}

export function isContenderId(value: string): value is ContenderId {
  return (CONTENDER_IDS as readonly string[]).includes(value);
}
