/** An exponential backoff schedule with jitter. */
export interface RetryPolicy {
  /** Most tries of one operation (first try included) before giving up with CONFLICT_EXHAUSTED. */
  attempts: number;
  /** Delay before the second try, ms. */
  baseDelayMs: number;
  /** Each further delay is the previous one times this. */
  factor: number;
  /** Upper bound of one delay, ms. */
  maxDelayMs: number;
  /** 0…1: the share of each delay drawn at random (1 = "full jitter", 0 = fixed schedule). */
  jitter: number;
}

/**
 * Backoff between compare-and-set conflicts, used after the first two conflicts (those retry at once
 * from the state the conflict reply carries). The round trip to a local Redis is ~0.1–0.3 ms, so
 * the schedule starts near it; full jitter spreads contending writers apart so that one of them wins.
 */
export const defaultConflictPolicy: RetryPolicy = {
  attempts: 1000,
  baseDelayMs: 0.5,
  factor: 1.5,
  maxDelayMs: 20,
  jitter: 1,
};

/** Reconnect backoff after the connection to Redis is lost (also used while an update waits for it). */
export const defaultReconnectPolicy: RetryPolicy = {
  attempts: Number.POSITIVE_INFINITY,
  baseDelayMs: 50,
  factor: 2,
  maxDelayMs: 1000,
  jitter: 0.5,
};

/**
 * The delay before try number `retry + 1` (retry counts from 1). Pure: `random` returns a number
 * in [0, 1) and is injected so the schedule can be tested exactly.
 */
export function retryDelayMs(policy: RetryPolicy, retry: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** Math.max(0, retry - 1));
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return ceiling * (1 - jitter * random());
}

export function resolvePolicy(base: RetryPolicy, overrides: Partial<RetryPolicy> | undefined): RetryPolicy {
  return { ...base, ...overrides };
}
