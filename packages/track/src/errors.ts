/** Stable codes of every error @rail/track raises. */
export type TrackErrorCode =
  | 'NOT_A_TRACK_LAYOUT'
  | 'MALFORMED_ROW'
  | 'DUPLICATE_BLOCK'
  | 'INVALID_LAYOUT'
  | 'ROUTE_UNRESOLVED'
  | 'UNKNOWN_LINE';

/** One problem found at one line of the input. */
export interface TrackIssue {
  /** 1-based line in the source file, null when the problem is not tied to a line. */
  line: number | null;
  message: string;
}

const MARKER = Symbol.for('@rail/track.error');

export interface TrackErrorOptions {
  source?: string;
  line?: number;
  issues?: TrackIssue[];
  cause?: unknown;
}

/**
 * The one error class of @rail/track. Recognise it with `TrackError.isInstance(e)`, which also
 * works when two copies of the package are installed side by side.
 */
export class TrackError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'TrackError';
  readonly code: TrackErrorCode;
  /** File name or label of the input, when known. */
  readonly source: string | undefined;
  /** 1-based line of the (first) offending row, when there is one. */
  readonly line: number | undefined;
  /** Every problem found (a parse reports all malformed rows at once, not just the first). */
  readonly issues: TrackIssue[];

  constructor(code: TrackErrorCode, message: string, options: TrackErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.source = options.source;
    this.line = options.line;
    this.issues = options.issues ?? [];
  }

  static isInstance(error: unknown): error is TrackError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
