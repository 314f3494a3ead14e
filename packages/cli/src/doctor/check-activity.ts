import { readFile, stat } from 'node:fs/promises';
import { setTimeout as sleep } from 'node:timers/promises';
import { formatAge } from './evidence-format.js';
import type { DoctorCheck, ResolvedDoctorOptions } from './types.js';

interface Sample {
  atMs: number;
  revision: number | null;
}

/**
 * When the file last changed, and whether it is still changing at the expected period. Watches by
 * polling the revision (a rename-replaced file gives no reliable fs.watch event on every platform).
 */
export async function checkActivity(path: string, options: ResolvedDoctorOptions): Promise<DoctorCheck> {
  const first = await sample(path, options.now);
  if (first === null) {
    return { name: 'activity', status: 'fail', evidence: `${path} does not exist, so it is not being written.` };
  }
  const lastChangeAgoMs = options.now() - first.mtimeMs;
  const lastChange = `last change ${formatAge(lastChangeAgoMs)} ago (${new Date(first.mtimeMs).toISOString()})`;
  const period = formatAge(options.expectedPeriodMs);

  if (options.watchMs <= 0) {
    const fresh = lastChangeAgoMs <= 3 * options.expectedPeriodMs;
    return {
      name: 'activity',
      status: fresh ? 'pass' : 'warn',
      evidence: `${lastChange}; not watched (watch time 0), judged by the last change against the expected period of ${period}.`,
      ...(fresh ? {} : { hint: 'If modules should be running, they are stopped or stuck: see the lock check, then the modules’ logs.' }),
    };
  }

  const samples: Sample[] = [{ atMs: first.atMs, revision: first.revision }];
  const pollMs = Math.max(10, Math.min(100, options.expectedPeriodMs / 4));
  const endMs = first.atMs + options.watchMs;
  while (options.now() < endMs) {
    await sleep(Math.min(pollMs, Math.max(1, endMs - options.now())));
    const s = await sample(path, options.now);
    if (s === null) {
      return { name: 'activity', status: 'fail', evidence: `${path} disappeared while it was being watched.`, hint: 'Something deletes the shared file: find which process does.' };
    }
    samples.push({ atMs: s.atMs, revision: s.revision });
  }
  const revisions = samples.map((s) => s.revision).filter((r): r is number => r !== null);
  const unreadable = samples.length - revisions.length;
  const backwards = revisions.findIndex((r, i) => i > 0 && r < (revisions[i - 1] ?? r));
  if (backwards > 0) {
    return {
      name: 'activity',
      status: 'fail',
      evidence: `the revision went backwards while watching: ${revisions[backwards - 1]} → ${revisions[backwards]}.`,
      hint: 'A process replaced the file with an older copy outside the store (a restore by hand, a plain write from a module not using @rail/atomic-file): find it.',
    };
  }
  const firstRev = revisions[0];
  const lastRev = revisions[revisions.length - 1];
  const watched = formatAge(options.watchMs);
  const unreadableNote = unreadable > 0 ? ` ${unreadable} of ${samples.length} samples carried no readable revision.` : '';
  if (firstRev === undefined || lastRev === undefined) {
    return {
      name: 'activity',
      status: 'warn',
      evidence: `${lastChange}; none of the ${samples.length} samples taken over ${watched} carried a revision (damaged, or not a schema document), so no change could be followed.`,
      hint: 'See the document check.',
    };
  }
  const commits = lastRev - firstRev;
  const perSecond = commits / (options.watchMs / 1000);
  const expectedCommits = options.watchMs / options.expectedPeriodMs;
  const rate = `revision ${firstRev} → ${lastRev} in ${watched} (${perSecond.toFixed(1)} commits/s; expected at least one every ${period})`;
  if (commits === 0) {
    return {
      name: 'activity',
      status: 'warn',
      evidence: `not changing: no commit in ${watched} of watching; ${lastChange}.${unreadableNote}`,
      hint: 'If modules should be running, they are stopped or stuck: see the lock check, then the modules’ logs.',
    };
  }
  if (commits < expectedCommits / 2) {
    return {
      name: 'activity',
      status: 'warn',
      evidence: `changing slower than expected: ${rate}.${unreadableNote}`,
      hint: 'A module is slow or stopped, or the lock is contended: compare lock waits in the modules’ stats.',
    };
  }
  return { name: 'activity', status: 'pass', evidence: `changing: ${rate}.${unreadableNote}` };
}

async function sample(path: string, now: () => number): Promise<{ atMs: number; mtimeMs: number; revision: number | null } | null> {
  try {
    const [text, st] = await Promise.all([readFile(path, 'utf8'), stat(path)]);
    return { atMs: now(), mtimeMs: st.mtimeMs, revision: revisionOf(text) };
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

function revisionOf(text: string): number | null {
  try {
    const value = JSON.parse(text) as { revision?: unknown };
    return typeof value.revision === 'number' ? value.revision : null;
  } catch (error) {
    // A damaged file is the document check's finding; here it only makes this sample unusable.
    if (error instanceof SyntaxError) return null;
    throw error;
  }
}
