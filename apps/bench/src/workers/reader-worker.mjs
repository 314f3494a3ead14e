// The concurrent reader: reads the shared document in a loop the way another team's module would,
// and counts what a reader must never see: unparsable text (torn reads) and the counter going back.
import { readFileSync } from 'node:fs';
import { fatal, nextMessage, send } from './common.mjs';

async function openSource(kind, path) {
  if (kind === 'redis') {
    // Through read(), as another team's module would: it parses and validates, so a document that
    // fails either is what a torn read is for Redis.
    const { openStore, RedisStoreError } = await import('@rail/redis-store');
    const { isTrainData } = await import('@rail/schema');
    const store = openStore(path, { validate: isTrainData });
    return {
      readValue: async () => {
        try {
          return { ok: true, value: (await store.read()).value };
        } catch (error) {
          if (RedisStoreError.isInstance(error) && error.code === 'CORRUPT') return { ok: false, error };
          throw error;
        }
      },
      close: () => store.close(),
    };
  }
  if (kind === 'file') {
    return { readText: () => readFileSync(path, 'utf8'), close: () => {} };
  }
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(path, { readonly: true });
  db.pragma('busy_timeout = 30000');
  if (kind === 'sqlite-counter') {
    const select = db.prepare('SELECT value FROM counter WHERE id = 1').pluck();
    return { readCounter: () => select.get(), close: () => db.close() };
  }
  const select = db.prepare('SELECT doc FROM documents WHERE id = 1').pluck();
  return { readText: () => select.get(), close: () => db.close() };
}

async function main() {
  const init = await nextMessage('init');
  const source = await openSource(init.kind, init.path);
  let stopping = false;
  const stopped = nextMessage('stop').then(() => {
    stopping = true;
  });
  await send({ type: 'ready' });

  let reads = 0;
  let tornReads = 0;
  let missing = 0;
  let counterDecreases = 0;
  let last = -Infinity;
  const tornSamples = [];
  while (!stopping) {
    reads += 1;
    let counter;
    if (source.readCounter) {
      counter = source.readCounter();
    } else if (source.readValue) {
      const result = await source.readValue();
      if (result.ok) {
        counter = result.value.trains.train_1.model.distanceM;
      } else {
        tornReads += 1;
        if (tornSamples.length < 3) tornSamples.push(result.error.message);
      }
    } else {
      let text;
      try {
        text = source.readText();
      } catch (error) {
        if (error && error.code === 'ENOENT') {
          missing += 1;
        } else {
          throw error;
        }
      }
      if (text !== undefined) {
        try {
          counter = JSON.parse(text).trains.train_1.model.distanceM;
        } catch (error) {
          tornReads += 1;
          if (tornSamples.length < 3) tornSamples.push(`${text.length} bytes: ${error.message}`);
        }
      }
    }
    if (typeof counter === 'number') {
      if (counter < last) counterDecreases += 1;
      last = counter;
    }
    // ~1 ms between reads, like a module polling: spinning would steal a core from the writers.
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  await stopped;
  await source.close();
  await send({ type: 'done', reads, tornReads, missing, counterDecreases, tornSamples });
  process.exit(0);
}

main().catch((error) => fatal(`reader-worker (${process.pid})`, error));
