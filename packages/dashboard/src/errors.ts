/** Stable codes of every error @rail/dashboard raises. */
export type DashboardErrorCode =
  | 'LISTEN_FAILED'
  | 'UI_NOT_BUILT'
  | 'BAD_REQUEST'
  | 'UNKNOWN_TRAIN'
  | 'INVALID_CONTROL'
  | 'WRITE_FAILED';

/** One problem with a would-be document, as the schema validator reports it. */
export interface DashboardIssue {
  /** JSON Pointer of the offending value, e.g. /trains/T1/operator/kp. */
  path: string;
  message: string;
}

const MARKER = Symbol.for('@rail/dashboard.error');

export interface DashboardErrorOptions {
  cause?: unknown;
  issues?: DashboardIssue[];
}

/**
 * The one error class of @rail/dashboard. Recognise it with `DashboardError.isInstance(e)`, which
 * also works when two copies of the package are installed side by side.
 */
export class DashboardError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'DashboardError';
  readonly code: DashboardErrorCode;
  /** Validator issues, for INVALID_CONTROL. */
  readonly issues: DashboardIssue[];

  constructor(code: DashboardErrorCode, message: string, options: DashboardErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.issues = options.issues ?? [];
  }

  static isInstance(error: unknown): error is DashboardError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

/** The message of anything thrown, for showing to a person. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
