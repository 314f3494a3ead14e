import type { Quantiles } from './shared-document.js';

/** The last `capacity` samples, for p50/p99/max without unbounded memory. */
export class SampleRing {
  private readonly samples: Float64Array;
  private next = 0;
  private filled = 0;

  constructor(capacity = 4096) {
    this.samples = new Float64Array(capacity);
  }

  add(value: number): void {
    this.samples[this.next] = value;
    this.next = (this.next + 1) % this.samples.length;
    if (this.filled < this.samples.length) this.filled += 1;
  }

  quantiles(): Quantiles {
    if (this.filled === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
    const sorted = this.samples.slice(0, this.filled).sort();
    // Nearest-rank quantile: the smallest sample with at least q of the samples at or below it.
    const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
    return { count: this.filled, p50: rank(0.5), p99: rank(0.99), max: sorted[sorted.length - 1] ?? 0 };
  }
}
