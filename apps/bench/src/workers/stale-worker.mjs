// Stale-lock recovery: the 'holder' takes the lock and keeps it until it is SIGKILLed; the 'waiter'
// tries to update meanwhile and reports (monotonic clock) when its update has gone through.
import { readFile } from 'node:fs/promises';
import { bumpText, fatal, monoMs, nextMessage, send } from './common.mjs';
import { PROPER_LOCKFILE_FAST_RETRIES } from './contenders.mjs';

async function properLockfileRole(init) {
  const { default: lockfile } = await import('proper-lockfile');
  const { default: writeFileAtomic } = await import('write-file-atomic');
  const options = { stale: init.staleMs, update: init.updateMs, realpath: false };
  if (init.role === 'holder') {
    await lockfile.lock(init.path, options);
    await send({ type: 'holding' });
    // Keep the event loop alive so the library keeps refreshing the lock's mtime until the kill.
    setInterval(() => {}, 1_000);
    return;
  }
  await send({ type: 'ready' });
  await nextMessage('go');
  const release = await lockfile.lock(init.path, { ...options, retries: PROPER_LOCKFILE_FAST_RETRIES });
  try {
    await writeFileAtomic(init.path, bumpText(await readFile(init.path, 'utf8')));
  } finally {
    await release();
  }
  await send({ type: 'done', atMs: monoMs() });
  process.exit(0);
}

async function atomicFileRole(init) {
  const { openJsonFile } = await import('@rail/atomic-file');
  const { isTrainData } = await import('@rail/schema');
  const handle = await openJsonFile(init.path, { durability: 'durable', validate: isTrainData });
  if (init.role === 'holder') {
    // Holding the lock means being inside an updater that never finishes.
    handle.update(async () => {
      await send({ type: 'holding' });
      await new Promise(() => {});
    }).catch((error) => fatal(`stale-worker holder (${process.pid})`, error));
    setInterval(() => {}, 1_000);
    return;
  }
  await send({ type: 'ready' });
  await nextMessage('go');
  await handle.update((draft) => {
    draft.trains.train_1.model.distanceM += 1;
  }, { timeoutMs: 60_000 });
  await send({ type: 'done', atMs: monoMs() });
  await handle.close();
  process.exit(0);
}

async function main() {
  const init = await nextMessage('init');
  if (init.contender === 'atomic-file') await atomicFileRole(init);
  else await properLockfileRole(init);
}

main().catch((error) => fatal(`stale-worker (${process.pid})`, error));
