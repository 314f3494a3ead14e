/** Stable codes of every error @rail/cli raises. */
export type RailCliErrorCode =
  | 'USAGE'
  | 'BAD_URL'
  | 'NOT_FOUND'
  | 'READ_FAILED'
  | 'INVALID_DOCUMENT'
  | 'IMPORT_FAILED'
  | 'OUTPUT_EXISTS'
  | 'WRITE_FAILED'
  | 'STORE_FAILED'
  | 'DASHBOARD_FAILED';

const MARKER = Symbol.for('@rail/cli.error');

/**
 * The one error class of @rail/cli. Recognise it with `RailCliError.isInstance(e)`, which also works
 * when two copies of the package are installed side by side.
 */
export class RailCliError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'RailCliError';
  readonly code: RailCliErrorCode;
  /** The file the failed operation was about, when there is one. */
  readonly path: string | undefined;

  constructor(code: RailCliErrorCode, message: string, options: { path?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.path = options.path;
  }

  static isInstance(error: unknown): error is RailCliError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
