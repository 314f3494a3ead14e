import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { isTrainData } from '@rail/schema';
import { buildTrainData } from './document.js';
import { prepareStore } from './workspace.js';

/** The slice of @rail/atomic-file's handle the bench uses (typed here: its dist may not exist yet). */
export interface AtomicFileHandle {
  read(): Promise<{ value: unknown; revision: number }>;
  update(fn: (draft: any) => unknown): Promise<{ revision: number }>;
  close(): Promise<void>;
}

export type OpenJsonFile = (path: string, options: { durability: 'durable' | 'relaxed'; validate: (value: unknown) => boolean }) => AtomicFileHandle | Promise<AtomicFileHandle>;

export type AtomicFileAvailability = { ok: true; openJsonFile: OpenJsonFile } | { ok: false; reason: string };

// Through a variable so tsc does not need the package's .d.ts, which exists only once it is built.
const PACKAGE = '@rail/atomic-file';

/**
 * Whether @rail/atomic-file is built and works: imports it and does one update on a scratch copy.
 * Its rows are skipped (with this reason in the results) rather than failing the whole bench.
 */
export async function probeAtomicFile(workDir: string): Promise<AtomicFileAvailability> {
  let mod: { openJsonFile?: unknown };
  try {
    mod = (await import(PACKAGE)) as { openJsonFile?: unknown };
  } catch (error) {
    return { ok: false, reason: `cannot import ${PACKAGE} (build it: pnpm --filter @rail/atomic-file build): ${error instanceof Error ? error.message : String(error)}` };
  }
  if (typeof mod.openJsonFile !== 'function') return { ok: false, reason: `${PACKAGE} does not export openJsonFile` };
  const openJsonFile = mod.openJsonFile as OpenJsonFile;
  const dir = join(workDir, 'probe-atomic-file');
  rmSync(dir, { recursive: true, force: true });
  try {
    const path = prepareStore(dir, 'file', buildTrainData(1));
    const handle = await openJsonFile(path, { durability: 'durable', validate: isTrainData });
    try {
      await handle.update((draft: { trains: { train_1: { model: { distanceM: number } } } }) => {
        draft.trains.train_1.model.distanceM += 1;
      });
      const snap = await handle.read();
      const counter = (snap.value as { trains?: { train_1?: { model?: { distanceM?: unknown } } } }).trains?.train_1?.model?.distanceM;
      if (counter !== 1) return { ok: false, reason: `${PACKAGE}: after one update the counter reads ${String(counter)}, expected 1` };
    } finally {
      await handle.close();
    }
    return { ok: true, openJsonFile };
  } catch (error) {
    return { ok: false, reason: `${PACKAGE} failed a one-update probe: ${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}` };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
