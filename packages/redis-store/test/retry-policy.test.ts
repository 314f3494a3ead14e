import { describe, expect, it } from 'vitest';
import { retryDelayMs, type RetryPolicy } from '../src/index.js';

const policy: RetryPolicy = { attempts: 10, baseDelayMs: 2, factor: 3, maxDelayMs: 50, jitter: 1 };

describe('retryDelayMs', () => {
  it('grows by the factor from the base delay: 2, 6, 18 ms, then stops at the cap of 50 ms', () => {
    const none = () => 0;
    expect([1, 2, 3, 4, 9].map((retry) => retryDelayMs(policy, retry, none))).toEqual([2, 6, 18, 50, 50]);
  });

  it('takes the jitter share off at random: full jitter with random 0.25 gives 0.75 × 18 = 13.5 ms', () => {
    expect(retryDelayMs(policy, 3, () => 0.25)).toBe(13.5);
    expect(retryDelayMs({ ...policy, jitter: 0.5 }, 3, () => 0.5)).toBe(13.5);
    expect(retryDelayMs({ ...policy, jitter: 0 }, 3, () => 0.99)).toBe(18);
  });
});
