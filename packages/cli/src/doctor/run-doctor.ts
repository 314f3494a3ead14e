import { readFailureAdvice } from '../read-advice.js';
import { locateStore } from '../store-target.js';
import { checkActivity } from './check-activity.js';
import { checkBackup, checkQuarantine } from './check-backup.js';
import { checkDocument } from './check-document.js';
import { checkLock } from './check-lock.js';
import { checkTempFiles } from './check-temp-files.js';
import { checkTrains } from './check-trains.js';
import { redisDoctorChecks } from './run-redis-doctor.js';
import type { CheckStatus, DoctorCheck, DoctorOptions, DoctorReport, ResolvedDoctorOptions } from './types.js';

export const DOCTOR_DEFAULTS = Object.freeze({
  watchMs: 3000,
  expectedPeriodMs: 1000,
  lockHeldWarnMs: 10_000,
  tempFileGraceMs: 5000,
});

/**
 * Checks a shared store the way an on-call engineer would: a train_data.json (path or `file:` URL)
 * or a Redis key (`redis://host:port/key`). Never throws for what it finds: every problem is a check
 * with evidence; only a malformed URL throws (RailCliError BAD_URL).
 * Exit code: 0 all pass, 1 any fail, 2 warnings only.
 */
export async function runDoctor(target: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const location = locateStore('doctor', target);
  const resolved: ResolvedDoctorOptions = {
    watchMs: options.watchMs ?? DOCTOR_DEFAULTS.watchMs,
    expectedPeriodMs: options.expectedPeriodMs ?? DOCTOR_DEFAULTS.expectedPeriodMs,
    lockHeldWarnMs: options.lockHeldWarnMs ?? DOCTOR_DEFAULTS.lockHeldWarnMs,
    tempFileGraceMs: options.tempFileGraceMs ?? DOCTOR_DEFAULTS.tempFileGraceMs,
    now: options.now ?? Date.now,
  };
  if (location.kind === 'redis') {
    return report(location.display, 'redis', await redisDoctorChecks(target, location, resolved));
  }
  const file = location.path;
  const document = await checkDocument(file);
  const [activity, backup, quarantine, tempFiles, lock] = await Promise.all([
    guarded('activity', file, () => checkActivity(file, resolved)),
    guarded('backup', file, () => checkBackup(file, document.document, resolved)),
    guarded('quarantine', file, () => checkQuarantine(file, resolved)),
    guarded('temp-files', file, () => checkTempFiles(file, resolved)),
    guarded('lock', file, () => checkLock(file, resolved)),
  ]);
  return report(file, 'file', [document.check, activity, backup, quarantine, tempFiles, lock, ...checkTrains(document)]);
}

/**
 * A check that cannot even look (the path is a folder, a file it may not read…) is a failed check
 * with the OS error as its evidence, not a crash of the whole report: the other checks still speak.
 */
async function guarded(name: string, file: string, run: () => Promise<DoctorCheck>): Promise<DoctorCheck> {
  try {
    return await run();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === undefined) throw error;
    const { why, hint } = readFailureAdvice(file, error);
    return { name, status: 'fail', evidence: `could not check: ${why}.`, hint };
  }
}

function report(path: string, store: DoctorReport['store'], checks: DoctorReport['checks']): DoctorReport {
  const status = worst(checks.map((c) => c.status));
  return { path, store, checks, status, exitCode: status === 'pass' ? 0 : status === 'fail' ? 1 : 2 };
}

function worst(statuses: CheckStatus[]): CheckStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('warn')) return 'warn';
  return 'pass';
}
