/** Stable codes of every error @rail/wayside raises or reports. */
export type WaysideErrorCode =
  /** A train's line has no entry in `layouts`. */
  | 'NO_LAYOUT'
  /** The wayside section this package computed fails the train_data schema (a bug here). */
  | 'INVALID_OUTPUT'
  /** Runner options that cannot work (period ≤ 0, …). */
  | 'INVALID_OPTIONS';

const MARKER = Symbol.for('@rail/wayside.error');

/**
 * The one error class of @rail/wayside. Recognise it with `WaysideError.isInstance(e)`, which also
 * works when two copies of the package are installed side by side.
 */
export class WaysideError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'WaysideError';
  readonly code: WaysideErrorCode;

  constructor(code: WaysideErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  static isInstance(error: unknown): error is WaysideError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
