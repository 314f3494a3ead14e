import { readFile } from 'node:fs/promises';
import { FLEXITY2_SPECS, formatImportReport, importLegacyTrainData } from '@rail/schema';
import type { QueuedTrain } from './dispatcher.js';
import { SimError } from './errors.js';

/** Fresh Flexity 2 trains T1…Tn. */
export function freshTrains(count: number, line: string): QueuedTrain[] {
  return Array.from({ length: count }, (_, i) => ({ id: `T${i + 1}`, train: { line, specs: { ...FLEXITY2_SPECS } } }));
}

/**
 * The trains of a legacy file, through the importer. Only what a dispatcher owns is kept (specs, and
 * the operator's requests such as gains): positions in a legacy file are not on any derived route,
 * so the trains start again from the yard, on the chosen line.
 */
export async function legacyTrains(path: string, line: string, limit: number | null): Promise<{ trains: QueuedTrain[]; reportText: string }> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new SimError('IMPORT_FAILED', `--from: could not read ${path}: ${(error as Error).message}`, { cause: error });
  }
  let imported: ReturnType<typeof importLegacyTrainData>;
  try {
    imported = importLegacyTrainData(text, { source: path });
  } catch (error) {
    throw new SimError('IMPORT_FAILED', `--from: the legacy importer could not read ${path}: ${(error as Error).message}`, { cause: error });
  }
  const trains = Object.entries(imported.document.trains).map(([id, t]) => ({
    id,
    train: { line, specs: t.specs, ...(t.operator === undefined ? {} : { operator: t.operator }) },
  }));
  if (trains.length === 0) throw new SimError('IMPORT_FAILED', `--from: ${path} has no trains to dispatch.`);
  return { trains: limit === null ? trains : trains.slice(0, limit), reportText: formatImportReport(imported.report) };
}
