/** Stable codes of every error @rail/atomic-file raises. */
export type AtomicFileErrorCode =
  | 'LOCK_TIMEOUT'
  | 'LOCK_COMPROMISED'
  | 'CORRUPT'
  | 'VALIDATION'
  | 'WRITE_FAILED'
  | 'READ_FAILED'
  | 'NOT_FOUND'
  | 'UPDATER_FAILED'
  | 'CLOSED'
  | 'INVALID_OPTIONS';

/** One problem a validator reported (the shape @rail/schema's `isTrainData.issues` returns). */
export interface AtomicFileIssue {
  path: string;
  message: string;
  rule?: string;
}

const MARKER = Symbol.for('@rail/atomic-file.error');

export interface AtomicFileErrorOptions {
  /** The file the operation was about (absolute). */
  path: string;
  /** What was being done: 'update', 'read', 'rename', 'lock', … */
  operation: string;
  /** How many attempts were made, when the operation was retried. */
  attempts?: number;
  issues?: AtomicFileIssue[];
  cause?: unknown;
}

/**
 * The one error class of @rail/atomic-file. Recognise it with `AtomicFileError.isInstance(e)`,
 * which also works when two copies of the package are installed side by side.
 */
export class AtomicFileError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'AtomicFileError';
  readonly code: AtomicFileErrorCode;
  readonly path: string;
  readonly operation: string;
  readonly attempts: number | undefined;
  /** Validator issues, for VALIDATION and for CORRUPT caused by a failed validation. */
  readonly issues: AtomicFileIssue[];

  constructor(code: AtomicFileErrorCode, message: string, options: AtomicFileErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
    this.operation = options.operation;
    this.attempts = options.attempts;
    this.issues = options.issues ?? [];
  }

  static isInstance(error: unknown): error is AtomicFileError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** The OS error code (`ENOENT`, `EPERM`, …) of a thrown value, or undefined. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'code' in error) {
    const code = (error as { code: unknown }).code;
    return typeof code === 'string' ? code : undefined;
  }
  return undefined;
}

export function describeCause(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
