import { closeSync, openSync, writeSync } from 'node:fs';
import type { SharedDocument, StoreEvent } from '@rail/atomic-file';
import type { TrainData } from '@rail/schema';

/**
 * A writer's own record of what it committed, one line per event, appended as it happens so that
 * a process killed with SIGKILL still leaves its count behind (the page cache outlives the process;
 * no fsync is needed because only processes die here, not the machine).
 *
 *   P <rev>                          about to commit revision <rev> (written inside the updater, under the lock)
 *   C <rev> <latencyMs> <lockWaitMs> revision <rev> is durable (the update promise resolved)
 *   E <type> <code>                  a store event: retry, restore, stale-lock, swept, error
 *   X <json message>                 a runner error
 *
 * The P line exists for the one moment a kill can hide a commit: after the rename made it durable and
 * before the C line is written. See summarizeLedgers for how it is used.
 */
export interface LedgerWriter {
  /** The document with every update/write recorded. */
  doc: SharedDocument<TrainData>;
  recordRunnerError(message: string): void;
  close(): void;
}

export function openLedger(doc: SharedDocument<TrainData>, ledgerPath: string): LedgerWriter {
  const fd = openSync(ledgerPath, 'a');
  const line = (text: string) => {
    writeSync(fd, `${text}\n`);
  };
  const unsubscribe = doc.onEvent((event: StoreEvent) => {
    if (event.type === 'commit' || event.type === 'slow-lock') return;
    line(`E ${event.type} ${'code' in event ? event.code : '-'}`);
  });
  const recordCommit = (commit: { revision: number; latencyMs: number; lockWaitMs: number }) => {
    line(`C ${commit.revision} ${commit.latencyMs.toFixed(3)} ${commit.lockWaitMs.toFixed(3)}`);
  };
  const wrapped: SharedDocument<TrainData> = {
    get location() {
      return doc.location;
    },
    read: () => doc.read(),
    update: async (fn, options) => {
      const commit = await doc.update(async (draft) => {
        line(`P ${draft.revision + 1}`);
        return fn(draft);
      }, options);
      recordCommit(commit);
      return commit;
    },
    // A whole-document write goes through update so its pending revision is read under the lock too.
    write: async (value, options) => {
      const commit = await doc.update((draft) => {
        line(`P ${draft.revision + 1}`);
        return value;
      }, options);
      recordCommit(commit);
      return commit;
    },
    watch: (listener, options) => doc.watch(listener, options),
    onEvent: (listener) => doc.onEvent(listener),
    stats: () => doc.stats(),
    close: () => doc.close(),
  };
  return {
    doc: wrapped,
    recordRunnerError: (message) => line(`X ${JSON.stringify(message)}`),
    close: () => {
      unsubscribe();
      closeSync(fd);
    },
  };
}
