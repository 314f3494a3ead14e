import { AtomicFileError, describeCause, errnoCode, type AtomicFileErrorCode } from './errors.js';
import { retryDelays, TRANSIENT_CODES, type RetryPolicy } from './retry-policy.js';
import type { StoreEvent } from './shared-document.js';

export interface RetryContext {
  target: string;
  retry: RetryPolicy;
  emit(event: StoreEvent): void;
}

export interface RetryCall<R> {
  /** Short name of the operation for events and messages: 'rename', 'open', … */
  op: string;
  /** The file the call touches (may be a temp file). */
  subject: string;
  /** Error code to raise when the call fails for good. */
  failCode: AtomicFileErrorCode;
  /** What the user can do, appended to the message. */
  advice: string;
  run: () => R;
  /** Errors (by OS code) to rethrow untouched, e.g. ENOENT that the caller handles. */
  passThrough?: ReadonlySet<string>;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * Runs a synchronous file-system call; on a transient error (EPERM, EBUSY, EACCES, EAGAIN,
 * EMFILE, ENFILE) waits the policy's next delay (a timer, never a spin) and tries again, within
 * the attempts and the deadline. Any other error, or the last transient one, becomes an
 * AtomicFileError naming the file, the operation, the attempts and (as cause) the OS error.
 */
export async function withRetry<R>(ctx: RetryContext, call: RetryCall<R>): Promise<R> {
  let delays: number[] | undefined;
  let started = 0;
  for (let attempt = 1; ; attempt += 1) {
    try {
      return call.run();
    } catch (error) {
      const code = errnoCode(error);
      if (AtomicFileError.isInstance(error)) throw error;
      if (code !== undefined && call.passThrough?.has(code)) throw error;
      if (code === undefined || !TRANSIENT_CODES.has(code)) {
        throw new AtomicFileError(
          call.failCode,
          `${call.op} of ${call.subject} failed (${describeCause(error)}) while updating ${ctx.target}. ${call.advice}`,
          { path: ctx.target, operation: call.op, attempts: attempt, cause: error },
        );
      }
      if (delays === undefined) {
        delays = retryDelays(ctx.retry);
        started = performance.now();
      }
      const delay = delays[attempt - 1];
      const elapsed = performance.now() - started;
      if (delay === undefined || elapsed + delay > ctx.retry.deadlineMs) {
        throw new AtomicFileError(
          call.failCode,
          `${call.op} of ${call.subject} still failed with ${code} after ${attempt} attempts over ${Math.round(elapsed)} ms ` +
            `(last error: ${describeCause(error)}) while updating ${ctx.target}. ` +
            `Another program (an editor, a virus scanner, a sync client) probably holds the file open; close it and try again. ${call.advice}`,
          { path: ctx.target, operation: call.op, attempts: attempt, cause: error },
        );
      }
      ctx.emit({ type: 'retry', op: call.op, attempt, delayMs: delay, code, path: call.subject });
      await sleep(delay);
    }
  }
}
