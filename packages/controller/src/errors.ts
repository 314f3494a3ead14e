/** Stable codes of every error @rail/controller raises. */
export type ControllerErrorCode = 'INVALID_INPUT' | 'INVALID_OPTIONS' | 'OUTPUT_INVALID';

const MARKER = Symbol.for('@rail/controller.error');

export interface ControllerErrorOptions {
  /** Train id the error is about, when there is one. */
  trainId?: string;
  cause?: unknown;
}

/**
 * The one error class of @rail/controller. Recognise it with `ControllerError.isInstance(e)`,
 * which also works when two copies of the package are installed side by side.
 */
export class ControllerError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'ControllerError';
  readonly code: ControllerErrorCode;
  readonly trainId: string | undefined;

  constructor(code: ControllerErrorCode, message: string, options: ControllerErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.trainId = options.trainId;
  }

  static isInstance(error: unknown): error is ControllerError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
