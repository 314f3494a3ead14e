export type CheckStatus = 'pass' | 'warn' | 'fail';

/** One finding of `rail doctor`: what was checked, the verdict, and what it was based on. */
export interface DoctorCheck {
  name: string;
  status: CheckStatus;
  /** What was seen (values, ages, pids), in a sentence or two. */
  evidence: string;
  /** What to do about it; absent on a pass. */
  hint?: string;
}

export interface DoctorOptions {
  /** How long to watch the file for new revisions, ms. 0 judges liveness by the last change alone. Default 3000. */
  watchMs?: number;
  /** Expected wall time between two commits while the modules run, ms. Default 1000. */
  expectedPeriodMs?: number;
  /** A live process holding the lock longer than this looks stuck, ms. Default 10000. */
  lockHeldWarnMs?: number;
  /** Temp files younger than this from a live writer are writes in flight, ms. Default 5000. */
  tempFileGraceMs?: number;
  /** Wall clock, ms since epoch (injectable for tests). */
  now?: () => number;
}

export interface DoctorReport {
  /** The file's absolute path, or the Redis URL with any password hidden. */
  path: string;
  /** Which kind of store was examined (the checks differ). */
  store: 'file' | 'redis';
  checks: DoctorCheck[];
  /** The worst status of all checks. */
  status: CheckStatus;
  /** 0 all pass, 1 any fail, 2 warnings only. */
  exitCode: 0 | 1 | 2;
}

export interface ResolvedDoctorOptions {
  watchMs: number;
  expectedPeriodMs: number;
  lockHeldWarnMs: number;
  tempFileGraceMs: number;
  now: () => number;
}
