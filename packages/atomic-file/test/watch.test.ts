import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJsonFile, type Snapshot } from '../src/index.js';
import { makeTempDir, removeTempDirs, startWorker } from './helpers.js';

afterAll(removeTempDirs);

interface Counter {
  count: number;
  revision?: number;
}

describe('watch', () => {
  it('reports each revision committed by another process exactly once, in increasing order', async () => {
    const dir = makeTempDir();
    const file = join(dir, 'doc.json');
    writeFileSync(file, JSON.stringify({ count: 0, revision: 0 }));
    // The writer commits each revision only once this test has seen the one before (it waits for it
    // in `ack`, outside the watched folder): each commit is its own event burst however slow the
    // machine, and a revision missed or delivered twice is the watcher's doing, not the timing's.
    const ack = join(makeTempDir(), 'seen-revision');
    // No poll fallback within the test's lifetime: deliveries must come from change notification.
    const doc = openJsonFile<Counter>(file, { watchPollMs: 60_000 });
    const seen: Snapshot<Counter>[] = [];
    const errors: Error[] = [];
    const allSeen = new Promise<void>((resolve) => {
      const stop = doc.watch(
        (snapshot) => {
          seen.push(snapshot);
          writeFileSync(ack, String(snapshot.revision));
          if (snapshot.revision === 10) {
            stop();
            resolve();
          }
        },
        { immediate: false, onError: (e) => errors.push(e) },
      );
    });
    const writer = startWorker('paced-writer.mjs', [file, '10', ack]);
    const writerStopped = writer.exited.then((exit) => {
      throw new Error(`the writer stopped (exit ${exit.code}) before revision 10 was seen: ${exit.stderr}`);
    });
    writerStopped.catch(() => undefined);
    await Promise.race([allSeen, writerStopped]);
    expect((await writer.exited).code).toBe(0);
    await doc.close();
    expect(errors).toEqual([]);
    expect(seen.map((s) => s.revision)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(seen.map((s) => s.value.count)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  });

  it('delivers the current state right away when immediate (the default), then this process’s own commits', async () => {
    const file = join(makeTempDir(), 'doc.json');
    writeFileSync(file, JSON.stringify({ count: 7, revision: 3 }));
    const doc = openJsonFile<Counter>(file);
    const seen: number[] = [];
    const first = new Promise<void>((resolve) => {
      doc.watch((s) => {
        seen.push(s.revision);
        resolve();
      });
    });
    await first;
    await doc.update((d) => {
      d.count += 1;
    });
    await doc.update((d) => {
      d.count += 1;
    });
    // Give the directory watcher time to fire: it must not repeat revisions already delivered.
    await new Promise((resolve) => setTimeout(resolve, 100));
    await doc.close();
    expect(seen).toEqual([3, 4, 5]);
  });
});
