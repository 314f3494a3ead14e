import { readFile, stat } from 'node:fs/promises';
import { importLegacyTrainData, parseTrainData, SCHEMA_VERSION, type TrainData } from '@rail/schema';
import { readFailureAdvice } from '../read-advice.js';
import type { DoctorCheck } from './types.js';

export interface DocumentFindings {
  check: DoctorCheck;
  /** The valid document, when the file holds one. */
  document: TrainData | null;
  /** For a legacy file: the importer's view of it, so the train checks can still look at the trains. */
  legacyView: TrainData | null;
  /** The importer's per-train warnings for a legacy file (`trainId: warning`). */
  legacyWarnings: string[];
  /** Why the importer could not read a legacy file, when it could not. */
  legacyImportError: string | null;
  mtimeMs: number | null;
}

/** Parses and validates the primary file; says which schema version it follows, or why it cannot be read. */
export async function checkDocument(path: string): Promise<DocumentFindings> {
  let text: string;
  let mtimeMs: number;
  try {
    [text, mtimeMs] = await Promise.all([readFile(path, 'utf8'), stat(path).then((s) => s.mtimeMs)]);
  } catch (error) {
    const { why, hint } = readFailureAdvice(path, error);
    return {
      check: { name: 'document', status: 'fail', evidence: `${why}.`, hint },
      document: null,
      legacyView: null,
      legacyImportError: null,
      legacyWarnings: [],
      mtimeMs: null,
    };
  }
  const parsed = parseTrainData(text, { source: path });
  if (parsed.ok) {
    const doc = parsed.value;
    const trains = Object.keys(doc.trains).length;
    return {
      check: {
        name: 'document',
        status: 'pass',
        evidence: `valid train_data, schema version ${doc.schemaVersion}, revision ${doc.revision}, ${trains} train${trains === 1 ? '' : 's'}, ${text.length} bytes; last writer ${doc.lastWriter ? `${doc.lastWriter.module} (pid ${doc.lastWriter.pid} on ${doc.lastWriter.host})` : 'not recorded'} at ${doc.updatedAt}.`,
      },
      document: doc,
      legacyView: null,
      legacyImportError: null,
      legacyWarnings: [],
      mtimeMs,
    };
  }
  const error = parsed.error;
  if (error.code === 'LEGACY_FORMAT') {
    return {
      check: {
        name: 'document',
        status: 'fail',
        evidence: `legacy (pre-schema) train_data file, not schema version ${SCHEMA_VERSION}: ${firstLine(error.message).replace(`${path}: `, '')}`,
        hint: `Import it: \`rail import ${path} <new train_data.json>\` converts units to SI and prints what it changed.`,
      },
      document: null,
      ...legacyView(text, path),
      mtimeMs,
    };
  }
  const hints: Record<string, string> = {
    EMPTY_INPUT: 'The file was emptied (a torn or truncating write). Restore it from the backup if that is valid (see the backup check).',
    JSON_SYNTAX: 'The file is damaged. Restore it from the backup if that is valid (see the backup check); opening it with @rail/atomic-file does so automatically.',
    MERGE_CONFLICT: 'Someone committed a git merge conflict into the file: resolve it, or restore the backup.',
    SCHEMA_INVALID: 'A writer produced a document the schema rejects: the issues above name the paths; fix that writer.',
    UNSUPPORTED_VERSION: 'Upgrade @rail/cli (and @rail/schema) to a release that reads this version.',
  };
  return {
    check: {
      name: 'document',
      status: 'fail',
      evidence: `${error.code}: ${error.message}`,
      hint: hints[error.code] ?? 'Restore the file from its backup or fix the writer that produced it.',
    },
    document: null,
    legacyView: null,
    legacyImportError: null,
    legacyWarnings: [],
    mtimeMs,
  };
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}

/**
 * The doctor still looks at a legacy file's trains (the importer's SI view of them); a file the
 * importer cannot read gives no view, and the train checks say so rather than guessing.
 */
function legacyView(text: string, source: string): Pick<DocumentFindings, 'legacyView' | 'legacyImportError' | 'legacyWarnings'> {
  try {
    const { document, report } = importLegacyTrainData(text, { source });
    const warnings = report.trains.flatMap((t) => t.warnings.map((w) => `${t.trainId}: ${w}`));
    return { legacyView: document, legacyImportError: null, legacyWarnings: warnings };
  } catch (error) {
    if (error instanceof Error) return { legacyView: null, legacyImportError: error.message, legacyWarnings: [] };
    throw error;
  }
}
