import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { defaultRetryPolicy, retryDelays, type RetryPolicy } from '../src/index.js';

const policyArb: fc.Arbitrary<RetryPolicy> = fc.record({
  attempts: fc.integer({ min: 1, max: 30 }),
  baseDelayMs: fc.double({ min: 0, max: 1000, noNaN: true }),
  factor: fc.double({ min: 1, max: 4, noNaN: true }),
  maxDelayMs: fc.double({ min: 0, max: 10_000, noNaN: true }),
  jitter: fc.double({ min: 0, max: 1, noNaN: true }),
  deadlineMs: fc.double({ min: 0, max: 60_000, noNaN: true }),
});
/** A deterministic stand-in for Math.random: replays the given values in [0, 1). */
const randomsArb = fc.array(fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }), { minLength: 30, maxLength: 30 });
const replay = (values: number[]) => {
  let i = 0;
  return () => values[i++ % values.length] ?? 0;
};

describe('retryDelays (property)', () => {
  it('each delay lies between its nominal min(cap, base·factorⁿ) and that times (1 + jitter)', () => {
    fc.assert(
      fc.property(policyArb, randomsArb, (policy, randoms) => {
        const delays = retryDelays(policy, replay(randoms));
        delays.forEach((delay, n) => {
          const nominal = Math.min(policy.maxDelayMs, policy.baseDelayMs * policy.factor ** n);
          expect(delay).toBeGreaterThanOrEqual(nominal - 1e-9);
          expect(delay).toBeLessThanOrEqual(nominal * (1 + policy.jitter) + 1e-9);
        });
      }),
    );
  });

  it('without jitter the schedule never decreases and never exceeds the cap', () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        const delays = retryDelays({ ...policy, jitter: 0 });
        for (let n = 1; n < delays.length; n += 1) expect(delays[n]!).toBeGreaterThanOrEqual(delays[n - 1]!);
        for (const delay of delays) expect(delay).toBeLessThanOrEqual(policy.maxDelayMs);
      }),
    );
  });

  it('never has more than attempts − 1 delays, and their total never exceeds the deadline', () => {
    fc.assert(
      fc.property(policyArb, randomsArb, (policy, randoms) => {
        const delays = retryDelays(policy, replay(randoms));
        expect(delays.length).toBeLessThanOrEqual(policy.attempts - 1);
        expect(delays.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(policy.deadlineMs);
      }),
    );
  });

  it('when nothing is cut by the deadline, there is exactly one delay per retry', () => {
    fc.assert(
      fc.property(policyArb, (policy) => {
        const generous = { ...policy, deadlineMs: Number.MAX_VALUE };
        expect(retryDelays(generous)).toHaveLength(policy.attempts - 1);
      }),
    );
  });

  it('the default is at least as patient as 50, 100, 200, 400, 800 ms', () => {
    const lowest = retryDelays(defaultRetryPolicy, () => 0);
    expect(lowest.slice(0, 5)).toEqual([50, 100, 200, 400, 800]);
    expect(lowest.length).toBeGreaterThanOrEqual(5);
  });
});
