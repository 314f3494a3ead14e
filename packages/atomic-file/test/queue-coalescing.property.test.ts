import fc from 'fast-check';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AtomicFileError, openJsonFile, type Commit } from '../src/index.js';
import { makeTempDir, removeTempDirs } from './helpers.js';

afterAll(removeTempDirs);

interface Log {
  entries: number[];
  revision?: number;
}

type Op = { kind: 'append' } | { kind: 'throw' } | { kind: 'invalid' } | { kind: 'async-append'; delayMs: number };

const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<Op>({ kind: 'append' }) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: 3 }).map<Op>((delayMs) => ({ kind: 'async-append', delayMs })) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'throw' }) },
  { weight: 1, arbitrary: fc.constant<Op>({ kind: 'invalid' }) },
);
/** Each call is preceded by a pause of 0 (same tick), a microtask, or a few ms: any interleaving. */
const gapArb = fc.constantFrom<'none' | 'microtask' | 'timer'>('none', 'microtask', 'timer');

const isLog = (value: unknown): boolean =>
  typeof value === 'object' && value !== null && Array.isArray((value as Log).entries) && (value as Log).entries.every((e) => Number.isInteger(e) && e >= 0);

function settle<R>(promise: Promise<R>): Promise<PromiseSettledResult<R>> {
  return promise.then(
    (value) => ({ status: 'fulfilled', value }),
    (reason: unknown) => ({ status: 'rejected', reason }),
  );
}

describe('the in-process queue (property)', () => {
  it('applies successful updates in call order, revisions never go back, and a failing updater affects only its caller', async () => {
    let round = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(opArb, gapArb), { minLength: 1, maxLength: 25 }), async (calls) => {
        round += 1;
        const file = join(makeTempDir(), `log-${round}.json`);
        const doc = openJsonFile<Log>(file, { create: () => ({ entries: [] }), validate: isLog, durability: 'relaxed' });
        // Settled wrappers are attached at once: a rejection awaited later is not an unhandled one.
        const promises: Promise<PromiseSettledResult<Commit<Log>>>[] = [];
        for (const [index, [op, gap]] of calls.entries()) {
          if (gap === 'microtask') await Promise.resolve();
          if (gap === 'timer') await new Promise((resolve) => setTimeout(resolve, 1));
          promises.push(
            settle(doc.update(async (draft) => {
              if (op.kind === 'throw') {
                draft.entries.push(-1);
                throw new Error(`updater ${index} fails`);
              }
              if (op.kind === 'invalid') {
                draft.entries.push(-1);
                return;
              }
              if (op.kind === 'async-append') await new Promise((resolve) => setTimeout(resolve, op.delayMs));
              draft.entries.push(index);
            })),
          );
        }
        const settled = await Promise.all(promises);
        await doc.close();

        const expected = calls.flatMap(([op], index) => (op.kind === 'append' || op.kind === 'async-append' ? [index] : []));
        settled.forEach((result, index) => {
          const op = calls[index]![0];
          if (op.kind === 'throw' || op.kind === 'invalid') {
            expect(result.status).toBe('rejected');
            const error = (result as PromiseRejectedResult).reason as unknown;
            expect(AtomicFileError.isInstance(error)).toBe(true);
            expect((error as AtomicFileError).code).toBe(op.kind === 'throw' ? 'UPDATER_FAILED' : 'VALIDATION');
          } else {
            expect(result.status).toBe('fulfilled');
            // Its own change is in what it committed.
            expect((result as PromiseFulfilledResult<Commit<Log>>).value.value.entries).toContain(index);
          }
        });
        const revisions = settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value.revision] : []));
        for (let i = 1; i < revisions.length; i += 1) expect(revisions[i]!).toBeGreaterThanOrEqual(revisions[i - 1]!);
        const final = await openJsonFile<Log>(file, { create: () => ({ entries: [] }) }).read();
        expect(final.value.entries).toEqual(expected);
        // One revision per committed write, never more than one per successful caller.
        expect(final.revision).toBeLessThanOrEqual(expected.length);
        if (expected.length > 0) expect(final.revision).toBe(revisions[revisions.length - 1]);
      }),
      { numRuns: 60 },
    );
  });
});
