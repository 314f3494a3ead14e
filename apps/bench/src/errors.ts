/** Stable codes of every error the benchmark raises. */
export type BenchErrorCode =
  | 'BAD_ARGUMENT'
  | 'SETUP_FAILED'
  | 'WORKER_FAILED'
  | 'WORKER_TIMEOUT'
  | 'CONTENDER_UNAVAILABLE'
  | 'RESULT_WRITE_FAILED';

const MARKER = Symbol.for('@rail/bench.error');

/**
 * The one error class of @rail/bench. Recognise it with `BenchError.isInstance(e)`, which also works
 * when two copies of the package are loaded side by side.
 */
export class BenchError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'BenchError';
  readonly code: BenchErrorCode;

  constructor(code: BenchErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  static isInstance(error: unknown): error is BenchError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
