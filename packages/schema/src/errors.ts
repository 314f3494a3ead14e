/** Stable codes of every error @rail/schema raises. */
export type RailSchemaErrorCode =
  | 'NOT_TEXT'
  | 'EMPTY_INPUT'
  | 'JSON_SYNTAX'
  | 'MERGE_CONFLICT'
  | 'SCHEMA_INVALID'
  | 'UNSUPPORTED_VERSION'
  | 'LEGACY_FORMAT'
  | 'IMPORT_FAILED';

/** One thing wrong with a document: where, which rule, what was found. */
export interface ValidationIssue {
  /** JSON Pointer to the offending value ('' for the root). */
  path: string;
  /** The schema keyword that failed (required, maximum, additionalProperties, …). */
  rule: string;
  /** A sentence a person can act on. */
  message: string;
  /** The value found at `path` (undefined when the value is missing). */
  found?: unknown;
}

const MARKER = Symbol.for('@rail/schema.error');

export interface RailSchemaErrorOptions {
  source?: string;
  line?: number;
  column?: number;
  issues?: ValidationIssue[];
  cause?: unknown;
}

/**
 * The one error class of @rail/schema. Recognise it with `RailSchemaError.isInstance(e)`, which
 * also works when two copies of the package are installed side by side.
 */
export class RailSchemaError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'RailSchemaError';
  readonly code: RailSchemaErrorCode;
  /** File name or other label of the input, when known. */
  readonly source: string | undefined;
  /** 1-based line of a syntax error. */
  readonly line: number | undefined;
  /** 1-based column of a syntax error. */
  readonly column: number | undefined;
  /** Schema issues, for SCHEMA_INVALID. */
  readonly issues: ValidationIssue[];

  constructor(code: RailSchemaErrorCode, message: string, options: RailSchemaErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.source = options.source;
    this.line = options.line;
    this.column = options.column;
    this.issues = options.issues ?? [];
  }

  static isInstance(error: unknown): error is RailSchemaError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
