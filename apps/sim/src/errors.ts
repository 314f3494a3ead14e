/** Stable codes of every error the sample app raises. */
export type SimErrorCode = 'USAGE' | 'FILE_BUSY' | 'FILE_NOT_OURS' | 'IMPORT_FAILED' | 'PROCESS_FAILED' | 'STORE_FAILED' | 'DASHBOARD_FAILED';

const MARKER = Symbol.for('@rail/sim.error');

/** The one error class of the sample app; `SimError.isInstance(e)` recognises it across copies. */
export class SimError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'SimError';
  readonly code: SimErrorCode;

  constructor(code: SimErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
  }

  static isInstance(error: unknown): error is SimError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
