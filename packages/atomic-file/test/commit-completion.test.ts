import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { nodeFileSystem, openJsonFile, type ProtocolStep } from '../src/index.js';
import { makeTempDir, removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);

interface Counter {
  n: number;
}

describe('completing a commit after the lock is released', () => {
  it('resolves the caller only after the directory fsync, which comes after the lock is released', async () => {
    const file = join(makeTempDir(), 'doc.json');
    const order: string[] = [];
    const fs = { ...nodeFileSystem, step: (name: ProtocolStep) => void order.push(name) };
    const doc = openJsonFile<Counter>(file, { fs, create: () => ({ n: 0 }) });
    await doc.update((d) => {
      d.n += 1;
    });
    order.length = 0;
    const commit = doc.update((d) => {
      d.n += 1;
    });
    void commit.then(() => order.push('resolved'));
    await commit;
    await doc.close();
    expect(order.slice(order.indexOf('published'))).toEqual(['published', 'lock-released', 'dir-synced', 'resolved']);
  });

  it('leaks no descriptor when a step hook throws right after the rename', async () => {
    const file = join(makeTempDir(), 'doc.json');
    const plain = openJsonFile<Counter>(file, { create: () => ({ n: 0 }) });
    await plain.write({ n: 0 });
    await plain.write({ n: 1 }); // a backup exists from now on: each commit holds it open across the rename
    await plain.close();
    const fdCount = () => readdirSync('/proc/self/fd').length;
    const before = fdCount();
    const fs = {
      ...nodeFileSystem,
      step: (name: ProtocolStep) => {
        if (name === 'published') throw new Error('simulated crash after the rename');
      },
    };
    const doc = openJsonFile<Counter>(file, { fs });
    for (let i = 0; i < 5; i += 1) {
      await expect(doc.update((d) => void (d.n += 1))).rejects.toThrow('simulated crash after the rename');
    }
    await doc.close();
    expect(fdCount()).toBe(before);
  });

  it('reports a watch onError that throws as a warning, and later commits go on', async () => {
    const file = join(makeTempDir(), 'doc.json');
    const doc = openJsonFile<Counter>(file, { create: () => ({ n: 0 }) });
    await doc.write({ n: 0 });
    const warnings: string[] = [];
    const onWarning = (warning: Error) => warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      doc.watch(
        (snapshot) => {
          if (snapshot.value.n === 1) throw new Error('listener bug');
        },
        {
          onError: (error) => {
            throw error;
          },
        },
      );
      await doc.update((d) => void (d.n += 1));
      const second = await doc.update((d) => void (d.n += 1));
      expect(second.value.n).toBe(2);
      await new Promise((resolve) => setImmediate(resolve));
    } finally {
      process.off('warning', onWarning);
      await doc.close();
    }
    expect(warnings.some((m) => m.includes('onError threw') && m.includes('listener bug'))).toBe(true);
  });
});
