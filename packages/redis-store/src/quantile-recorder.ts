import type { Quantiles } from '@rail/atomic-file';

/** Keeps the most recent `capacity` samples; enough for stable p99 without growing forever. */
export class QuantileRecorder {
  private readonly samples: number[] = [];
  private next = 0;
  private total = 0;

  constructor(private readonly capacity = 10_000) {}

  record(value: number): void {
    this.total += 1;
    if (this.samples.length < this.capacity) {
      this.samples.push(value);
    } else {
      this.samples[this.next] = value;
      this.next = (this.next + 1) % this.capacity;
    }
  }

  /** `count` is every sample ever recorded; the quantiles cover the retained window. */
  quantiles(): Quantiles {
    if (this.samples.length === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
    return { count: this.total, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
  }
}
