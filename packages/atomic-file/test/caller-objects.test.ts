import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { openJsonFile } from '../src/index.js';
import { makeTempDir, removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);

interface Doc {
  items: string[];
  revision?: number;
  updatedAt?: string;
}

// The store hands the updater its own state to change in place (no clone inside the lock); none of
// the objects a caller holds may change behind its back.
describe('objects the caller holds', () => {
  it('are never changed by later updates: create()’s value, a written value, commit values and snapshots', async () => {
    const file = join(makeTempDir(), 'doc.json');
    const initial: Doc = { items: [] };
    const doc = openJsonFile<Doc>(file, { create: () => initial });

    const first = await doc.update((d) => {
      d.items.push('a');
    });
    expect(initial).toEqual({ items: [] });

    const snapshot = await doc.read();
    const second = await doc.update((d) => {
      d.items.push('b');
    });
    const written: Doc = { items: ['w'] };
    await doc.write(written);
    await doc.update((d) => {
      d.items.push('c');
    });

    expect(first.value.items).toEqual(['a']);
    expect(snapshot.value.items).toEqual(['a']);
    expect(second.value.items).toEqual(['a', 'b']);
    expect(written).toEqual({ items: ['w'] });
    expect((await doc.read()).value.items).toEqual(['w', 'c']);
    await doc.close();
  });

  it('keeps the committed state when the last updater of a batch throws after changing its draft', async () => {
    const file = join(makeTempDir(), 'doc.json');
    const doc = openJsonFile<Doc>(file, { create: () => ({ items: [] }) });
    await doc.update(() => undefined);
    // Queued together, so they share one critical section; the failing one comes last.
    const ok = doc.update((d) => {
      d.items.push('kept');
    });
    const failing = doc.update((d) => {
      d.items.push('half-done');
      throw new Error('changed its mind');
    });
    await expect(ok).resolves.toMatchObject({ value: { items: ['kept'] } });
    await expect(failing).rejects.toMatchObject({ code: 'UPDATER_FAILED' });
    expect((await doc.read()).value.items).toEqual(['kept']);
    const next = await doc.update((d) => {
      d.items.push('next');
    });
    expect(next.value.items).toEqual(['kept', 'next']);
    await doc.close();
  });
});
