import { stat } from 'node:fs/promises';
import { basename } from 'node:path';
import { describeTempFiles, isPidAlive } from '@rail/atomic-file';
import { formatAge } from './evidence-format.js';
import type { DoctorCheck, ResolvedDoctorOptions } from './types.js';

/**
 * Temp files `.<basename>.<pid>.<hosthash>.<random>.tmp` (and lock staging directories) next to the file. A young one from a live
 * writer is a write in flight; anything else is left over by a writer that died mid-write.
 */
export async function checkTempFiles(path: string, options: ResolvedDoctorOptions): Promise<DoctorCheck> {
  // A writer on another host cannot be probed: only its temp file's age can say it is left over.
  const found: { name: string; ageMs: number; pid: number; alive: boolean | 'unknown' }[] = [];
  for (const { path: file, pid, sameHost } of describeTempFiles(path)) {
    let ageMs: number;
    try {
      ageMs = options.now() - (await stat(file)).mtimeMs;
    } catch (error) {
      // Renamed into place between the listing and the stat: it was a write in flight.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw error;
    }
    found.push({ name: basename(file), ageMs, pid, alive: sameHost ? isPidAlive(pid) : 'unknown' });
  }
  const lingering = found.filter((f) => f.alive === false || f.ageMs > options.tempFileGraceMs);
  if (lingering.length === 0) {
    return {
      name: 'temp-files',
      status: 'pass',
      evidence: found.length === 0 ? 'no temp files next to the file.' : `${found.length} temp file(s) of live writers, younger than ${formatAge(options.tempFileGraceMs)}: writes in flight.`,
    };
  }
  const listed = lingering
    .slice(0, 5)
    .map((f) => `${f.name} (${formatAge(f.ageMs)} old, writer pid ${f.pid} ${f.alive === 'unknown' ? 'on another host' : f.alive ? 'alive' : 'dead'})`)
    .join('; ');
  return {
    name: 'temp-files',
    status: 'warn',
    evidence: `${lingering.length} lingering temp file(s): ${listed}${lingering.length > 5 ? '; …' : ''}. A writer died between writing its temp file and renaming it; the shared file itself is intact.`,
    hint: 'They are safe to delete; @rail/atomic-file also sweeps them when a writer opens the file.',
  };
}
