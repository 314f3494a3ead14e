import { locateStore } from '../store-target.js';
import { checkActivity } from './check-activity.js';
import { checkBackup, checkQuarantine } from './check-backup.js';
import { checkDocument } from './check-document.js';
import { checkLock } from './check-lock.js';
import { checkTempFiles } from './check-temp-files.js';
import { checkTrains } from './check-trains.js';
import { redisDoctorChecks } from './run-redis-doctor.js';
import type { CheckStatus, DoctorOptions, DoctorReport, ResolvedDoctorOptions } from './types.js';

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
    checkActivity(file, resolved),
    checkBackup(file, document.document, resolved),
    checkQuarantine(file, resolved),
    checkTempFiles(file, resolved),
    checkLock(file, resolved),
  ]);
  return report(file, 'file', [document.check, activity, backup, quarantine, tempFiles, lock, ...checkTrains(document)]);
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
