import { RailSchemaError } from './errors.js';
import { jsonErrorOffset } from './json-error-offset.js';

/** 1-based line and column of a character offset. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(Math.max(offset, 0), text.length);
  for (let i = 0; i < end; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: end - lineStart + 1 };
}

const CONFLICT_MARKER = /^(<{7}|={7}|>{7})(?: |$)/m;

/**
 * JSON.parse with the errors a person needs: empty input, git merge-conflict markers and syntax
 * errors each get their own code, with line and column.
 */
export function parseJsonText(text: string, source = '<input>'): unknown {
  const where = source;
  if (typeof text !== 'string') {
    // The usual slip: readFileSync(path) without 'utf8' hands over a Buffer.
    const got = text === null ? 'null' : Buffer.isBuffer(text) ? 'a Buffer' : typeof text;
    throw new RailSchemaError('NOT_TEXT', `${where}: expected the file's text (a string), got ${got}; read the file with readFileSync(path, 'utf8').`, { source });
  }
  // Windows editors (PowerShell, Notepad) prepend a byte-order mark that JSON.parse rejects; it is
  // not content, so it is skipped rather than reported.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim().length === 0) {
    throw new RailSchemaError(
      'EMPTY_INPUT',
      `${where}: the file is empty (${text.length} bytes). A writer was probably interrupted mid-write; restore it from its .backup or re-create it.`,
      { source, line: 1, column: 1 },
    );
  }
  const conflict = CONFLICT_MARKER.exec(text);
  if (conflict) {
    const { line, column } = lineColumnAt(text, conflict.index);
    throw new RailSchemaError(
      'MERGE_CONFLICT',
      `${where}:${line}:${column}: git merge-conflict marker "${conflict[1]}": the file was committed mid-merge. Resolve the conflict (keep one side) before using it.`,
      { source, line, column },
    );
  }
  try {
    return JSON.parse(text) as unknown;
  } catch (cause) {
    const detail = cause instanceof Error ? cause.message : String(cause);
    const offset = jsonErrorOffset(text);
    const { line, column } = lineColumnAt(text, offset);
    const truncated = offset >= text.trimEnd().length;
    throw new RailSchemaError(
      'JSON_SYNTAX',
      `${where}:${line}:${column}: not valid JSON (${detail})` +
        (truncated
          ? '. The text ends early: the file looks truncated by an interrupted write; restore it from its .backup.'
          : '. Fix the text at that position.'),
      { source, line, column, cause },
    );
  }
}
