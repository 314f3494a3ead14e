import type { TrackLayout, TrainData } from './generated/index.js';
import { RailSchemaError } from './errors.js';
import { parseJsonText } from './json-text.js';
import { formatIssues } from './validation-issues.js';
import { isTrackLayout, isTrainData, type Validator } from './validators.js';
import { looksLegacy } from './legacy/detect.js';

export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: RailSchemaError };

type Parsed<T> = ParseResult<T> & { json?: unknown };

function parseWith<T>(text: string, source: string, validator: Validator<T>, what: string): Parsed<T> {
  let value: unknown;
  try {
    value = parseJsonText(text, source);
  } catch (error) {
    if (RailSchemaError.isInstance(error)) return { ok: false, error };
    throw error;
  }
  if (validator(value)) return { ok: true, value };
  return { ok: false, error: invalidError(value, source, validator, what), json: value };
}

function invalidError<T>(value: unknown, source: string, validator: Validator<T>, what: string): RailSchemaError {
  const issues = validator.issues(value);
  return new RailSchemaError(
    'SCHEMA_INVALID',
    `${source}: not a valid ${what} (${issues.length} problem${issues.length === 1 ? '' : 's'}):\n${formatIssues(issues)}`,
    { source, issues },
  );
}

/**
 * Parses the text of a train_data.json. Returns the typed document, or an error that says what is
 * wrong and where: syntax errors with line and column, schema errors with JSON path, rule and value.
 * A legacy (pre-schema) file gets code LEGACY_FORMAT and the command that imports it.
 */
export function parseTrainData(text: string, options: { source?: string } = {}): ParseResult<TrainData> {
  const source = options.source ?? '<train_data>';
  const parsed = parseWith(text, source, isTrainData, 'train_data document (schema version 1)');
  if (parsed.ok) return { ok: true, value: parsed.value };
  const result: ParseResult<TrainData> = { ok: false, error: parsed.error };
  if (parsed.error.code !== 'SCHEMA_INVALID') return result;
  const value = parsed.json;
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const version = (value as Record<string, unknown>).schemaVersion;
    if (version !== undefined && version !== 1) {
      return {
        ok: false,
        error: new RailSchemaError(
          'UNSUPPORTED_VERSION',
          `${source}: schemaVersion ${JSON.stringify(version)} is not supported by this @rail/schema (it reads version 1). Upgrade @rail/schema.`,
          { source, issues: result.error.issues },
        ),
      };
    }
    if (version === undefined && Object.keys(value).length === 0) {
      return {
        ok: false,
        error: new RailSchemaError(
          'LEGACY_FORMAT',
          `${source}: the file is an empty object {} (no schemaVersion, no trains): what a write race or a crashed writer leaves behind. ` +
            `Restore it from its .backup, or start a new document with emptyTrainData() (\`rail import ${source} train_data.json\` turns it into a valid empty document).`,
          { source, issues: result.error.issues },
        ),
      };
    }
    if (version === undefined && looksLegacy(value)) {
      return {
        ok: false,
        error: new RailSchemaError(
          'LEGACY_FORMAT',
          `${source}: this is a legacy train_data file (no schemaVersion; keys like ${Object.keys(value).slice(0, 3).map((k) => JSON.stringify(k)).join(', ')}). ` +
            `Convert it with \`rail import ${source} train_data.json\` (or importLegacyTrainData()).`,
          { source, issues: result.error.issues },
        ),
      };
    }
  }
  return result;
}

/** Parses and validates a track layout JSON text. */
export function parseTrackLayout(text: string, options: { source?: string } = {}): ParseResult<TrackLayout> {
  const parsed = parseWith(text, options.source ?? '<track layout>', isTrackLayout, 'track layout');
  return parsed.ok ? { ok: true, value: parsed.value } : { ok: false, error: parsed.error };
}

/** Throws a SCHEMA_INVALID RailSchemaError unless `value` is a valid document. */
export function assertTrainData(value: unknown, source = '<train_data>'): asserts value is TrainData {
  if (!isTrainData(value)) throw invalidError(value, source, isTrainData, 'train_data document (schema version 1)');
}
