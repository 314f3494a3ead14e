import { AtomicFileError } from './errors.js';
/** How transient file-system errors are retried. */
export interface RetryPolicy {
  /** Total attempts including the first (>= 1). */
  attempts: number;
  /** Delay before the second attempt, ms. */
  baseDelayMs: number;
  /** Each further delay is the previous one times this (>= 1). */
  factor: number;
  /** No nominal delay exceeds this, ms. */
  maxDelayMs: number;
  /** 0..1: each delay is stretched by a random fraction up to this share of itself. */
  jitter: number;
  /** The sum of all delays never exceeds this, ms; nor does the time spent retrying. */
  deadlineMs: number;
}

/**
 * 50, 100, 200, 400, 800, 1600, 2000, 2000 ms (each up to 20 % longer): more patient than the
 * 50·2ⁿ ms × 5 that teams found enough for Windows virus scanners and indexers holding a file.
 */
export const defaultRetryPolicy: Readonly<RetryPolicy> = Object.freeze({
  attempts: 9,
  baseDelayMs: 50,
  factor: 2,
  maxDelayMs: 2000,
  jitter: 0.2,
  deadlineMs: 12_000,
});

/** OS error codes that mean "someone else has the file right now", worth retrying. */
export const TRANSIENT_CODES: ReadonlySet<string> = new Set(['EPERM', 'EBUSY', 'EACCES', 'EAGAIN', 'EMFILE', 'ENFILE']);

export function resolveRetryPolicy(partial: Partial<RetryPolicy> | undefined, path = ''): RetryPolicy {
  const policy: RetryPolicy = { ...defaultRetryPolicy, ...partial };
  const bad = (what: string) =>
    new AtomicFileError('INVALID_OPTIONS', `@rail/atomic-file: retry.${what} is invalid (${JSON.stringify(partial)}) for ${path}; fix the retry option.`, { path, operation: 'open' });
  if (!Number.isInteger(policy.attempts) || policy.attempts < 1) throw bad('attempts (an integer >= 1)');
  if (!(policy.baseDelayMs >= 0)) throw bad('baseDelayMs (>= 0)');
  if (!(policy.factor >= 1)) throw bad('factor (>= 1)');
  if (!(policy.maxDelayMs >= 0)) throw bad('maxDelayMs (>= 0)');
  if (!(policy.jitter >= 0 && policy.jitter <= 1)) throw bad('jitter (0..1)');
  if (!(policy.deadlineMs >= 0)) throw bad('deadlineMs (>= 0)');
  return policy;
}

/**
 * The delays (ms) to wait before attempts 2, 3, …: nominal `min(maxDelayMs, baseDelayMs·factorⁿ)`
 * stretched by `jitter·random()` of itself, cut off where the running total would pass
 * `deadlineMs`. Pure: `random` is injected (values in [0, 1)).
 */
export function retryDelays(policy: RetryPolicy, random: () => number = Math.random): number[] {
  const delays: number[] = [];
  let total = 0;
  let nominal = policy.baseDelayMs;
  for (let attempt = 2; attempt <= policy.attempts; attempt += 1) {
    const capped = Math.min(policy.maxDelayMs, nominal);
    const delay = capped * (1 + policy.jitter * random());
    if (total + delay > policy.deadlineMs) break;
    delays.push(delay);
    total += delay;
    nominal *= policy.factor;
  }
  return delays;
}
