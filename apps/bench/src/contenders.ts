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
] as const;

export type ContenderId = (typeof CONTENDER_IDS)[number];

/** The physical-floor loops (one process, no lock, no parse). */
export type FloorId = 'floor' | 'floor-dirsync';

/** Where a contender keeps the counter, which decides how the reader and the final check read it. */
export type StorageKind = 'file' | 'sqlite-counter' | 'sqlite-json';

export interface ContenderInfo {
  id: ContenderId;
  /** Whether it claims no lost update across processes (the smoke test holds it to 0). */
  locked: boolean;
  storage: StorageKind;
  /** Needs packages/atomic-file/dist (built by another package's build). */
  needsAtomicFile: boolean;
  config: string;
}

export const CONTENDERS: Readonly<Record<ContenderId, ContenderInfo>> = {
  'atomic-file': {
    id: 'atomic-file',
    locked: true,
    storage: 'file',
    needsAtomicFile: true,
    config: "openJsonFile(path, { durability: 'durable', validate: isTrainData }); update(draft => { counter += 1 })",
  },
  'atomic-file-relaxed': {
    id: 'atomic-file-relaxed',
    locked: true,
    storage: 'file',
    needsAtomicFile: true,
    config: "as above with durability: 'relaxed'",
  },
  'proper-lockfile+wfa': {
    id: 'proper-lockfile+wfa',
    locked: true,
    storage: 'file',
    needsAtomicFile: false,
    config:
      'lock(path, { realpath: false, retries: { retries: 5000, factor: 1.5, minTimeout: 1, maxTimeout: 16, randomize: true } }) → fs.readFile → writeFileAtomic (fsync: true) → release()',
  },
  atomically: {
    id: 'atomically',
    locked: false,
    storage: 'file',
    needsAtomicFile: false,
    config: "atomically.readFile → atomically.writeFile (defaults: fsync on), no lock",
  },
  'write-file-atomic': {
    id: 'write-file-atomic',
    locked: false,
    storage: 'file',
    needsAtomicFile: false,
    config: 'fs.readFile → writeFileAtomic (defaults: fsync on), no lock',
  },
  steno: {
    id: 'steno',
    locked: false,
    storage: 'file',
    needsAtomicFile: false,
    config: 'fs.readFile → new Writer(path).write (temp file + rename, no fsync), no lock',
  },
  'plain-fs': {
    id: 'plain-fs',
    locked: false,
    storage: 'file',
    needsAtomicFile: false,
    config: 'readFileSync → writeFileSync in place: no lock, not atomic, no fsync',
  },
  'sqlite-counter': {
    id: 'sqlite-counter',
    locked: true,
    storage: 'sqlite-counter',
    needsAtomicFile: false,
    config:
      'better-sqlite3, journal_mode=WAL, synchronous=FULL, busy_timeout=30000; BEGIN IMMEDIATE; UPDATE counter SET value = value + 1; COMMIT',
  },
  'sqlite-json': {
    id: 'sqlite-json',
    locked: true,
    storage: 'sqlite-json',
    needsAtomicFile: false,
    config:
      'same database settings; BEGIN IMMEDIATE; SELECT doc → JSON.parse → increment → JSON.stringify → UPDATE doc; COMMIT',
  },
};

export function isContenderId(value: string): value is ContenderId {
  return (CONTENDER_IDS as readonly string[]).includes(value);
}
