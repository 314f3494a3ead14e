/** Stable codes of every error @rail/redis-store raises. */
export type RedisStoreErrorCode =
  | 'UNAVAILABLE'
  | 'TIMEOUT'
  | 'CONFLICT_EXHAUSTED'
  | 'VALIDATION'
  | 'CORRUPT'
  | 'NOT_FOUND'
  | 'UPDATER_FAILED'
  | 'CLOSED'
  | 'BAD_URL';

/**
 * Whether a failed update may still have been committed. `not-applied` is a guarantee: nothing
 * was written and nothing queued can land later. `unknown` happens only when the connection broke
 * after the compare-and-set was sent and the deadline passed before the client could ask the
 * server again; `checkCommitted(token)` answers it once Redis is back.
 */
export type UpdateOutcome = 'not-applied' | 'unknown';

/** One reason a document failed validation (the shape `@rail/schema`'s `.issues()` returns). */
export interface RedisStoreIssue {
  path: string;
  message: string;
  rule?: string;
}

const MARKER = Symbol.for('@rail/redis-store.error');

export interface RedisStoreErrorOptions {
  /** The store the error is about (redis URL with the password hidden, or a file path). */
  location?: string;
  /** What was being done: read, update, write, watch, open, parse-url, health. */
  operation?: string;
  attempts?: number;
  issues?: RedisStoreIssue[];
  outcome?: UpdateOutcome;
  /** The update's commit token, to ask `checkCommitted` when `outcome` is `unknown`. */
  token?: string;
  cause?: unknown;
}

/**
 * The one error class of @rail/redis-store. Recognise it with `RedisStoreError.isInstance(e)`,
 * which also works when two copies of the package are installed side by side.
 */
export class RedisStoreError extends Error {
  readonly [MARKER] = true;
  override readonly name = 'RedisStoreError';
  readonly code: RedisStoreErrorCode;
  readonly location: string | undefined;
  readonly operation: string | undefined;
  readonly attempts: number | undefined;
  readonly issues: RedisStoreIssue[];
  /** Set on errors of `update`/`write`. */
  readonly outcome: UpdateOutcome | undefined;
  readonly token: string | undefined;

  constructor(code: RedisStoreErrorCode, message: string, options: RedisStoreErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.location = options.location;
    this.operation = options.operation;
    this.attempts = options.attempts;
    this.issues = options.issues ?? [];
    this.outcome = options.outcome;
    this.token = options.token;
  }

  static isInstance(error: unknown): error is RedisStoreError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}
