import { existsSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { backupPath, isOwnerAlive, listTempFiles, readLockOwner } from '@rail/atomic-file';
import { parseTrainData } from '@rail/schema';
import { SimError } from './errors.js';
import { DEFAULT_FILE } from './paths.js';

/** Where a run keeps its writers' commit ledgers. */
export function ledgerDirOf(file: string): string {
  return `${file}.commits`;
}

/**
 * Clears the way for a fresh shared file: refuses when another live process holds its lock (another
 * demo on the same file), and refuses to replace a file outside the demo's own folder that is not a
 * train_data document (a typo in --file must not destroy someone's data).
 */
export async function prepareFreshFile(file: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const owner = await readLockOwner(file);
  if (owner !== null && isOwnerAlive(owner) !== false) {
    throw new SimError('FILE_BUSY', `${file} is in use: its lock is held by pid ${owner.pid}${owner.label ? ` (${owner.label})` : ''} on ${owner.host}. Stop that run first, or pass another --file.`);
  }
  if (existsSync(file) && file !== DEFAULT_FILE) {
    const parsed = parseTrainData(await readFile(file, 'utf8'), { source: file });
    if (!parsed.ok) {
      throw new SimError('FILE_NOT_OURS', `${file} exists and is not a train_data document (${parsed.error.code}); the demo recreates its file, so it will not replace this one. Pass another --file.`);
    }
  }
  await Promise.all([
    rm(file, { force: true }),
    rm(backupPath(file), { force: true }),
    rm(`${file}.lock`, { recursive: true, force: true }),
    ...listTempFiles(file).map((t) => rm(t, { recursive: true, force: true })),
  ]);
}
