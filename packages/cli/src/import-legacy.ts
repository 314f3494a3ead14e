import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { openJsonFile } from '@rail/atomic-file';
import { formatImportReport, importLegacyTrainData, isTrainData, type TrainData } from '@rail/schema';
import { RailCliError } from './errors.js';
import { readFailureAdvice } from './read-advice.js';

export interface ImportLegacyOptions {
  /** Replace an existing output file (through the store: locked, backed up, revision increased). Default false. */
  force?: boolean;
  /** The line the legacy trains ran on (legacy files name none). Default: the importer's guess, Green. */
  line?: string;
  /**
   * Keep the trains' speeds and positions although legacy files have no block number (model and
   * wayside sections with `block: null`). Default false: those sections are left out and reported.
   */
  keepPosition?: boolean;
}

export interface ImportLegacyResult {
  inputPath: string;
  outputPath: string;
  document: TrainData;
  /** The importer's account of what it converted, guessed or dropped, as text. */
  reportText: string;
}

/**
 * Converts a legacy team file into a schema document and writes it through @rail/atomic-file.
 * Throws RailCliError: NOT_FOUND, READ_FAILED, IMPORT_FAILED, OUTPUT_EXISTS, WRITE_FAILED.
 */
export async function importLegacy(legacyPath: string, outPath: string, options: ImportLegacyOptions = {}): Promise<ImportLegacyResult> {
  for (const path of [legacyPath, outPath]) {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
      throw new RailCliError('USAGE', `rail import: reads a legacy file and writes a new file; ${JSON.stringify(path)} is a URL. Pass file paths (to put the result in Redis, import to a file first).`);
    }
  }
  const input = resolve(legacyPath);
  const output = resolve(outPath);
  let text: string;
  try {
    text = await readFile(input, 'utf8');
  } catch (error) {
    const { why, hint } = readFailureAdvice(input, error);
    throw new RailCliError((error as NodeJS.ErrnoException).code === 'ENOENT' ? 'NOT_FOUND' : 'READ_FAILED', `rail import: ${why}. ${hint}`, { path: input, cause: error });
  }
  let imported: ReturnType<typeof importLegacyTrainData>;
  try {
    imported = importLegacyTrainData(text, {
      source: input,
      ...(options.line === undefined ? {} : { line: options.line }),
      ...(options.keepPosition === true ? { unknownBlock: 'null' as const } : {}),
    });
  } catch (error) {
    throw new RailCliError('IMPORT_FAILED', `rail import: could not import ${input}: ${(error as Error).message}`, { path: input, cause: error });
  }
  if (existsSync(output) && options.force !== true) {
    throw new RailCliError('OUTPUT_EXISTS', `rail import: ${output} already exists; nothing was written. Choose another output path or pass --force to replace it.`, {
      path: output,
    });
  }
  try {
    const store = await openJsonFile<TrainData>(output, {
      validate: isTrainData,
      create: () => imported.document,
      lock: { label: 'rail import' },
    });
    try {
      await store.write(imported.document);
    } finally {
      await store.close();
    }
  } catch (error) {
    throw new RailCliError('WRITE_FAILED', `rail import: could not write ${output}: ${(error as Error).message}`, { path: output, cause: error });
  }
  return { inputPath: input, outputPath: output, document: imported.document, reportText: formatImportReport(imported.report) };
}
