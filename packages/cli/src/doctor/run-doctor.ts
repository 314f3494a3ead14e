import { resolve } from 'node:path';
import { checkActivity } from './check-activity.js';
import { checkBackup, checkQuarantine } from './check-backup.js';
import { checkDocument } from './check-document.js';
import { checkLock } from './check-lock.js';
import { checkTempFiles } from './check-temp-files.js';
import { checkTrains } from './check-trains.js';
import type { CheckStatus, DoctorOptions, DoctorReport, ResolvedDoctorOptions } from './types.js';

export const DOCTOR_DEFAULTS = Object.freeze({
  watchMs: 3000,
  expectedPeriodMs: 1000,
  lockHeldWarnMs: 10_000,
  tempFileGraceMs: 5000,
});

/**
 * Checks a shared train_data.json the way an on-call engineer would. Never throws for what it finds
 * in the file: every problem is a check with evidence. Exit code: 0 all pass, 1 any fail, 2 warnings only.
 */
export async function runDoctor(path: string, options: DoctorOptions = {}): Promise<DoctorReport> {
  const file = resolve(path);
  const resolved: ResolvedDoctorOptions = {
    watchMs: options.watchMs ?? DOCTOR_DEFAULTS.watchMs,
    expectedPeriodMs: options.expectedPeriodMs ?? DOCTOR_DEFAULTS.expectedPeriodMs,
    lockHeldWarnMs: options.lockHeldWarnMs ?? DOCTOR_DEFAULTS.lockHeldWarnMs,
    tempFileGraceMs: options.tempFileGraceMs ?? DOCTOR_DEFAULTS.tempFileGraceMs,
    now: options.now ?? Date.now,
  };
  const document = await checkDocument(file);
  const [activity, backup, quarantine, tempFiles, lock] = await Promise.all([
    checkActivity(file, resolved),
    checkBackup(file, document.document, resolved),
    checkQuarantine(file, resolved),
    checkTempFiles(file, resolved),
    checkLock(file, resolved),
  ]);
  const checks = [document.check, activity, backup, quarantine, tempFiles, lock, ...checkTrains(document)];
  const status = worst(checks.map((c) => c.status));
  return { path: file, checks, status, exitCode: status === 'pass' ? 0 : status === 'fail' ? 1 : 2 };
}

function worst(statuses: CheckStatus[]): CheckStatus {
  if (statuses.includes('fail')) return 'fail';
  if (statuses.includes('warn')) return 'warn';
  return 'pass';
}
