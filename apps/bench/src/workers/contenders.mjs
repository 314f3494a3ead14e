// One factory per contender: each returns { update(): Promise<void>, close(): Promise<void> } doing
// one whole-document read → parse → increment → stringify → write of the shared document.
import { closeSync, fsyncSync, openSync, readFileSync, renameSync, writeFileSync, writeSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { bumpText } from './common.mjs';

/** proper-lockfile retry policy tuned for a lock held ~1 ms: poll fast, with jitter. */
export const PROPER_LOCKFILE_FAST_RETRIES = { retries: 5000, factor: 1.5, minTimeout: 1, maxTimeout: 16, randomize: true };

async function atomicFile(path, durability) {
  const { openJsonFile } = await import('@rail/atomic-file');
  const { isTrainData } = await import('@rail/schema');
  const handle = await openJsonFile(path, { durability, validate: isTrainData });
  return {
    update: async () => {
      await handle.update((draft) => {
        draft.trains.train_1.model.distanceM += 1;
      });
    },
    close: () => handle.close(),
  };
}

async function properLockfileWfa(path) {
  const { default: lockfile } = await import('proper-lockfile');
  const { default: writeFileAtomic } = await import('write-file-atomic');
  return {
    update: async () => {
      const release = await lockfile.lock(path, { retries: PROPER_LOCKFILE_FAST_RETRIES, realpath: false });
      try {
        const text = await readFile(path, 'utf8');
        await writeFileAtomic(path, bumpText(text));
      } finally {
        await release();
      }
    },
    close: async () => {},
  };
}

async function atomicallyAlone(path) {
  const atomically = await import('atomically');
  return {
    update: async () => {
      const text = await atomically.readFile(path, 'utf8');
      await atomically.writeFile(path, bumpText(text));
    },
    close: async () => {},
  };
}

async function writeFileAtomicAlone(path) {
  const { default: writeFileAtomic } = await import('write-file-atomic');
  return {
    update: async () => {
      const text = await readFile(path, 'utf8');
      await writeFileAtomic(path, bumpText(text));
    },
    close: async () => {},
  };
}

async function stenoAlone(path) {
  const { Writer } = await import('steno');
  const writer = new Writer(path);
  return {
    update: async () => {
      const text = await readFile(path, 'utf8');
      await writer.write(bumpText(text));
    },
    close: async () => {},
  };
}

function plainFs(path) {
  return {
    update: async () => {
      writeFileSync(path, bumpText(readFileSync(path, 'utf8')));
    },
    close: async () => {},
  };
}

async function sqlite(path, variant) {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path);
  // journal_mode=WAL is persistent (set when the parent created the file); these two are per connection.
  db.pragma('synchronous = FULL');
  db.pragma('busy_timeout = 30000');
  let step;
  if (variant === 'counter') {
    const increment = db.prepare('UPDATE counter SET value = value + 1 WHERE id = 1');
    step = db.transaction(() => {
      increment.run();
    });
  } else {
    const select = db.prepare('SELECT doc FROM documents WHERE id = 1').pluck();
    const write = db.prepare('UPDATE documents SET doc = ? WHERE id = 1');
    step = db.transaction(() => {
      write.run(bumpText(select.get()));
    });
  }
  return {
    update: async () => {
      step.immediate();
    },
    close: async () => {
      db.close();
    },
  };
}

/** Ours on Redis: the same whole-document update as atomic-file, committed by compare-and-set. */
async function redisStore(url) {
  const { openStore } = await import('@rail/redis-store');
  const { isTrainData } = await import('@rail/schema');
  const store = openStore(url, { validate: isTrainData });
  // Connect before the barrier, as the other contenders open their files first: otherwise the first
  // timed update would include the TCP handshake and script load.
  await store.read();
  return {
    update: async () => {
      await store.update((draft) => {
        draft.trains.train_1.model.distanceM += 1;
      });
    },
    close: () => store.close(),
  };
}

/** The physical floor: the least any durable whole-file replace can cost (no parse, no lock). */
function floor(path, withDirFsync) {
  const text = readFileSync(path, 'utf8');
  const tmp = `${path}.floor-${process.pid}.tmp`;
  const dir = dirname(path);
  return {
    update: async () => {
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, text);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
      renameSync(tmp, path);
      if (withDirFsync) {
        const dirFd = openSync(dir, 'r');
        try {
          fsyncSync(dirFd);
        } finally {
          closeSync(dirFd);
        }
      }
    },
    close: async () => {},
  };
}

/** Builds the named contender's update step on `path` (a JSON file, a SQLite database, or a redis:// URL). */
export async function createContender(id, path) {
  switch (id) {
    case 'atomic-file':
      return atomicFile(path, 'durable');
    case 'atomic-file-relaxed':
      return atomicFile(path, 'relaxed');
    case 'proper-lockfile+wfa':
      return properLockfileWfa(path);
    case 'atomically':
      return atomicallyAlone(path);
    case 'write-file-atomic':
      return writeFileAtomicAlone(path);
    case 'steno':
      return stenoAlone(path);
    case 'plain-fs':
      return plainFs(path);
    case 'sqlite-counter':
      return sqlite(path, 'counter');
    case 'sqlite-json':
      return sqlite(path, 'json');
    case 'redis-store':
    case 'redis-store-everysec':
      // The AOF policy belongs to the server the parent started; the client side is identical.
      return redisStore(path);
    case 'floor':
      return floor(path, false);
    case 'floor-dirsync':
      return floor(path, true);
    default:
      throw new Error(`unknown contender ${JSON.stringify(id)}; see CONTENDERS in src/contenders.ts`);
  }
}
