import { describe, expect, it } from 'vitest';
import { checkLedgers } from '../src/ledger-check.js';
import type { WriterLedger } from '../src/ledger-reader.js';

function ledger(module: string, pid: number, committed: number[], danglingPending: number | null = null): WriterLedger {
  return { file: `${module}-${pid}`, module, pid, committed, danglingPending, latenciesMs: [], lockWaitsMs: [], events: {}, runnerErrors: [], badLines: 0 };
}

describe('checking lost updates from the writers’ ledgers', () => {
  it('finds none when every revision after the start has exactly one writer', () => {
    const result = checkLedgers([ledger('a', 1, [1, 3, 5]), ledger('b', 2, [2, 4])], 0, 5, new Set());
    expect(result.lostUpdates).toBe(0);
    expect(result.commitsByModule).toEqual({ a: 3, b: 2 });
  });

  it('counts a revision two writers both committed (one overwrote the other)', () => {
    const result = checkLedgers([ledger('a', 1, [1, 2, 3]), ledger('b', 2, [3, 4])], 0, 4, new Set());
    expect(result.duplicateRevisions).toEqual([3]);
    expect(result.lostUpdates).toBe(1);
  });

  it('counts a commit a writer saw durable that the final file does not contain', () => {
    const result = checkLedgers([ledger('a', 1, [1, 2, 3])], 0, 2, new Set());
    expect(result.revisionsBeyondFinal).toEqual([3]);
    expect(result.lostUpdates).toBe(1);
  });

  it('credits a killed process with the revision it was committing when it died, when nobody else claims it', () => {
    const result = checkLedgers([ledger('a', 1, [1, 2], 3), ledger('b', 2, [4])], 0, 4, new Set([1]));
    expect(result.attributedFromPending).toBe(1);
    expect(result.lostUpdates).toBe(0);
    expect(result.commitsByModule).toEqual({ a: 3, b: 1 });
  });

  it('does not credit a pending line of a process that was not killed', () => {
    const result = checkLedgers([ledger('a', 1, [1, 2], 3), ledger('b', 2, [4])], 0, 4, new Set());
    expect(result.unaccountedRevisions).toEqual([3]);
    expect(result.lostUpdates).toBe(1);
  });

  it('ignores a killed process’s pending line for a revision someone else committed', () => {
    const result = checkLedgers([ledger('a', 1, [1], 2), ledger('b', 2, [2, 3])], 0, 3, new Set([1]));
    expect(result.attributedFromPending).toBe(0);
    expect(result.lostUpdates).toBe(0);
  });

  it('starts counting after the revision the run started from', () => {
    const result = checkLedgers([ledger('a', 1, [8, 9])], 7, 9, new Set());
    expect(result.lostUpdates).toBe(0);
  });
});
