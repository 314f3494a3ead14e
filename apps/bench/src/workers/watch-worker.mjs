// Watch latency: the 'writer' commits updates at a steady pace and records when each commit resolved;
// the 'watcher' records when its listener saw each revision. Both use the monotonic clock.
import { fatal, monoMs, nextMessage, send } from './common.mjs';

async function main() {
  const init = await nextMessage('init');
  const { openJsonFile } = await import('@rail/atomic-file');
  const { isTrainData } = await import('@rail/schema');
  const handle = await openJsonFile(init.path, { durability: 'durable', validate: isTrainData });

  if (init.role === 'watcher') {
    const seen = [];
    const errors = [];
    const stop = handle.watch((snapshot) => seen.push({ revision: snapshot.revision, atMs: monoMs() }), {
      immediate: false,
      onError: (error) => errors.push(error.message),
    });
    await send({ type: 'ready' });
    await nextMessage('stop');
    stop();
    await handle.close();
    await send({ type: 'done', seen, errors });
    process.exit(0);
  }

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
