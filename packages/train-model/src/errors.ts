/** Stable codes of every error @rail/train-model raises. */
export type TrainModelErrorCode =
  | 'INVALID_SPECS'
  | 'INVALID_STATE'
  | 'INVALID_INPUT'
  | 'INVALID_ROUTE'
  | 'UNKNOWN_LINE'
  | 'OUTPUT_INVALID';

const MARKER = Symbol.for('@rail/train-model.error');

export interface TrainModelErrorOptions {
  /** Train id the error is about, when there is one. */
  trainId?: string;
  cause?: unknown;
}

/**
 * The one error class of @rail/train-model. Recognise it with `TrainModelError.isInstance(e)`,
 * which also works when two copies of the package are installed side by side.
 */
export class TrainModelError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'TrainModelError';
  readonly code: TrainModelErrorCode;
  readonly trainId: string | undefined;

  constructor(code: TrainModelErrorCode, message: string, options: TrainModelErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.trainId = options.trainId;
  }

  static isInstance(error: unknown): error is TrainModelError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
