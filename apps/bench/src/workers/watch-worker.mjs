// Watch latency: the 'writer' commits updates at a steady pace and records when each commit resolved;
// the 'watcher' records when its listener saw each revision. Both use the monotonic clock.
// init.store picks the store: 'atomic-file' (init.path is a file) or 'redis-store' (a redis:// URL).
import { fatal, monoMs, nextMessage, send } from './common.mjs';

async function open(store, path) {
  const { isTrainData } = await import('@rail/schema');
  if (store === 'redis-store') {
    const { openStore } = await import('@rail/redis-store');
    return openStore(path, { validate: isTrainData });
  }
  if (store === 'atomic-file') {
    const { openJsonFile } = await import('@rail/atomic-file');
    return openJsonFile(path, { durability: 'durable', validate: isTrainData });
  }
  throw new Error(`unknown store ${JSON.stringify(store)}; expected 'atomic-file' or 'redis-store'`);
}

async function main() {
  const init = await nextMessage('init');
  const handle = await open(init.store, init.path);

  if (init.role === 'watcher') {
    const seen = [];
    const errors = [];
    let live;
    const first = new Promise((resolve) => {
      live = resolve;
    });
    // immediate: the first delivery (the current state, not a commit of the writer) shows the watch is
    // set up (Redis: subscribed), so the writer is not started while the watcher could still miss it.
    const stop = handle.watch(
      (snapshot) => {
        seen.push({ revision: snapshot.revision, atMs: monoMs() });
        live();
      },
      { immediate: true, onError: (error) => errors.push(error.message) },
    );
    await first;
    await send({ type: 'ready' });
    await nextMessage('stop');
    stop();
    await handle.close();
    await send({ type: 'done', seen, errors });
    process.exit(0);
  }

  // Connect (Redis) or open (file) before the first timed commit.
  await handle.read();
  await send({ type: 'ready' });
  await nextMessage('go');
  const commits = [];
  for (let i = 0; i < init.count; i += 1) {
    const commit = await handle.update((draft) => {
      draft.trains.train_1.model.distanceM += 1;
    });
    commits.push({ revision: commit.revision, atMs: monoMs() });
    await new Promise((resolve) => setTimeout(resolve, init.intervalMs));
  }
  await handle.close();
  await send({ type: 'done', commits });
  process.exit(0);
}

main().catch((error) => fatal(`watch-worker ${process.pid}`, error));
