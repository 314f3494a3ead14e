import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { backupPath } from '@rail/atomic-file';
import { parseTrainData, type TrainData } from '@rail/schema';
import { formatAge } from './evidence-format.js';
import type { DoctorCheck, ResolvedDoctorOptions } from './types.js';

/** Whether a backup exists, parses and validates, how old it is and how far behind the primary. */
export async function checkBackup(path: string, primary: TrainData | null, options: ResolvedDoctorOptions): Promise<DoctorCheck> {
  const backup = backupPath(path);
  let text: string;
  let mtimeMs: number;
  try {
    [text, mtimeMs] = await Promise.all([readFile(backup, 'utf8'), stat(backup).then((s) => s.mtimeMs)]);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
      return { name: 'backup', status: 'fail', evidence: `could not read the backup ${backup}: ${(error as Error).message}`, hint: 'Check its permissions.' };
    }
    return {
      name: 'backup',
      status: 'warn',
      evidence: `no backup at ${backup}: a damaged primary could not be restored.`,
      hint: 'Writers using @rail/atomic-file keep one; a file never written through the store has none.',
    };
  }
  const age = `written ${formatAge(options.now() - mtimeMs)} ago`;
  const parsed = parseTrainData(text, { source: backup });
  if (!parsed.ok) {
    return {
      name: 'backup',
      status: 'fail',
      evidence: `the backup ${backup} (${age}) is not usable: ${parsed.error.code}: ${parsed.error.message.split('\n')[0]}`,
      hint: primary === null ? 'Neither the primary nor the backup is usable: recover from version control or restart the run.' : 'The next commit through @rail/atomic-file rewrites it from the valid primary.',
    };
  }
  const behind = primary === null ? '' : `, ${primary.revision - parsed.value.revision} revision(s) behind the primary (${primary.revision})`;
  const restore = primary === null ? ' The primary is not usable: opening the file with @rail/atomic-file restores it from this backup (and keeps the damaged copy as <file>.corrupt-<time>).' : '';
  return {
    name: 'backup',
    status: 'pass',
    evidence: `valid backup ${backup}: schema version ${parsed.value.schemaVersion}, revision ${parsed.value.revision}${behind}, ${age}.${restore}`,
  };
}

/** Damaged copies the store set aside when it restored the primary: evidence of past corruption. */
export async function checkQuarantine(path: string, options: ResolvedDoctorOptions): Promise<DoctorCheck> {
  const prefix = `${basename(path)}.corrupt-`;
  let names: string[];
  try {
    names = (await readdir(dirname(path))).filter((n) => n.startsWith(prefix));
  } catch (error) {
    return { name: 'quarantine', status: 'fail', evidence: `could not list ${dirname(path)}: ${(error as Error).message}` };
  }
  if (names.length === 0) return { name: 'quarantine', status: 'pass', evidence: `no quarantined copies (${prefix}*): the store never had to restore this file.` };
  const ages = await Promise.all(names.map(async (n) => options.now() - (await stat(join(dirname(path), n))).mtimeMs));
  const newest = Math.min(...ages);
  return {
    name: 'quarantine',
    status: 'warn',
    evidence: `${names.length} quarantined damaged cop${names.length === 1 ? 'y' : 'ies'} (${names.slice(0, 3).join(', ')}${names.length > 3 ? ', …' : ''}), newest ${formatAge(newest)} old: the store found the primary damaged and restored it from the backup.`,
    hint: 'Look at the damaged copy to see what broke it (a plain write from a tool not using the store, a full disk); delete the copies once understood.',
  };
}
