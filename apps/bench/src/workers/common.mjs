// Shared by the worker processes. Workers are plain .mjs so they run in plain `node` (no tsx loader
// in the measured processes); the parent forks them with an empty execArgv for the same reason.
import { hostname } from 'node:os';

export const HOST = hostname();

/** Monotonic clock (CLOCK_MONOTONIC) in ms: comparable across processes on the same host. */
export function monoMs() {
  return Number(process.hrtime.bigint()) / 1e6;
}

/** Sends one IPC message and resolves once it has been handed to the channel. */
export function send(message) {
  return new Promise((resolve, reject) => {
    if (typeof process.send !== 'function') {
      reject(new Error('worker: no IPC channel; this module must be started by the bench with fork().'));
      return;
    }
    process.send(message, (error) => (error ? reject(error) : resolve()));
  });
}

/** The next IPC message of the given type (or of one of the given types). */
export function nextMessage(type) {
  const types = Array.isArray(type) ? type : [type];
  return new Promise((resolve) => {
    const onMessage = (message) => {
      if (message && types.includes(message.type)) {
        process.off('message', onMessage);
        resolve(message);
      }
    };
    process.on('message', onMessage);
  });
}

/** Reports a failure the parent turns into a typed error, then exits non-zero. */
export async function fatal(where, error) {
  const message = `${where}: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`;
  try {
    await send({ type: 'fatal', message });
  } catch (sendError) {
    // The parent is gone: stderr is the only place left to say why this worker stopped.
    console.error(message, sendError);
  }
  process.exit(1);
}

/** Whole-document read-modify-write step every file contender performs (ours does it internally). */
export function bumpText(text) {
  const doc = JSON.parse(text);
  doc.trains.train_1.model.distanceM += 1;
  doc.revision += 1;
  doc.updatedAt = new Date().toISOString();
  doc.lastWriter = { module: 'bench', pid: process.pid, host: HOST };
  return JSON.stringify(doc);
}
