// One contending writer: set up, wait for 'go' (the barrier), do K updates timing each one, report.
import { performance } from 'node:perf_hooks';
import { fatal, monoMs, nextMessage, send } from './common.mjs';
import { createContender } from './contenders.mjs';

const MAX_ERROR_SAMPLES = 3;

function describe(error) {
  if (!(error instanceof Error)) return String(error);
  const code = error.code ?? error.name;
  return error.message.startsWith(String(code)) ? error.message : `${code}: ${error.message}`;
}

async function main() {
  const init = await nextMessage('init');
  const contender = await createContender(init.contender, init.path);
  await send({ type: 'ready' });
  const errorSamples = [];
  // Optional untimed warm-up, asked of one writer at a time by the parent before the barrier.
  const next = await nextMessage(['warmup', 'go']);
  if (next.type === 'warmup') {
    let succeeded = 0;
    let failedWarmup = 0;
    for (let i = 0; i < next.n; i += 1) {
      try {
        await contender.update();
        succeeded += 1;
      } catch (error) {
        // Not fatal (steno fails some by design); what it did not add is left out of `expected`.
        failedWarmup += 1;
        if (errorSamples.length < MAX_ERROR_SAMPLES) errorSamples.push(`warm-up: ${describe(error)}`);
      }
    }
    await send({ type: 'warmed', succeeded, failed: failedWarmup });
    await nextMessage('go');
  }

  const latenciesMs = [];
  let failed = 0;
  const startMs = monoMs();
  for (let i = 0; i < init.k; i += 1) {
    const t0 = performance.now();
    try {
      await contender.update();
      latenciesMs.push(performance.now() - t0);
    } catch (error) {
      // A failed update is a result (e.g. steno's shared temp file racing), not a reason to stop.
      failed += 1;
      if (errorSamples.length < MAX_ERROR_SAMPLES) {
        errorSamples.push(describe(error));
      }
    }
  }
  const endMs = monoMs();
  await contender.close();
  await send({ type: 'done', latenciesMs, failed, errorSamples, startMs, endMs });
  process.exit(0);
}

main().catch((error) => fatal(`rmw-worker (${process.pid})`, error));
