import type { WriterLedger } from './ledger-reader.js';

export interface LedgerCheck {
  baseRevision: number;
  finalRevision: number;
  /** Distinct commits per module, over all its processes (dispatcher included). */
  commitsByModule: Record<string, number>;
  /** Commits that processes logged as durable. */
  loggedCommits: number;
  /** Commits of killed processes found only as their last pending line (see below). */
  attributedFromPending: number;
  /** Revisions two writers both claim: one of their updates was overwritten. */
  duplicateRevisions: number[];
  /** Revisions between base and final that no writer accounts for. */
  unaccountedRevisions: number[];
  /** Revisions a writer saw committed that the final file does not contain. */
  revisionsBeyondFinal: number[];
  /** duplicates + unaccounted + beyond final: 0 in a correct run. */
  lostUpdates: number;
}

/**
 * No lost update means: every revision from base+1 to final was committed by exactly one writer, and
 * nothing a writer saw committed is missing from the final file. Then the final revision equals the
 * sum of all writers' commits.
 *
 * A process killed between its commit becoming durable and its C line has a P line for that revision
 * and nothing after it. Such a revision is credited to it only when it was killed and no other writer
 * claims the revision: some writer must have committed each revision, and it is the only candidate.
 */
export function checkLedgers(ledgers: WriterLedger[], baseRevision: number, finalRevision: number, killedPids: ReadonlySet<number>): LedgerCheck {
  const owners = new Map<number, number>();
  const duplicates: number[] = [];
  const beyond: number[] = [];
  const commitsByModule: Record<string, number> = {};
  let logged = 0;
  for (const ledger of ledgers) {
    commitsByModule[ledger.module] = (commitsByModule[ledger.module] ?? 0) + ledger.committed.length;
    logged += ledger.committed.length;
    for (const rev of ledger.committed) {
      if (owners.has(rev)) duplicates.push(rev);
      else owners.set(rev, ledger.pid);
      if (rev > finalRevision || rev <= baseRevision) beyond.push(rev);
    }
  }
  let attributed = 0;
  const unaccounted: number[] = [];
  for (let rev = baseRevision + 1; rev <= finalRevision; rev += 1) {
    if (owners.has(rev)) continue;
    const candidates = ledgers.filter((l) => l.danglingPending === rev && killedPids.has(l.pid));
    const only = candidates[0];
    if (candidates.length === 1 && only !== undefined) {
      attributed += 1;
      owners.set(rev, only.pid);
      commitsByModule[only.module] = (commitsByModule[only.module] ?? 0) + 1;
    } else {
      unaccounted.push(rev);
    }
  }
  return {
    baseRevision,
    finalRevision,
    commitsByModule,
    loggedCommits: logged,
    attributedFromPending: attributed,
    duplicateRevisions: duplicates,
    unaccountedRevisions: unaccounted,
    revisionsBeyondFinal: beyond,
    lostUpdates: duplicates.length + unaccounted.length + beyond.length,
  };
}
