import type { QuantilesView } from './protocol.js';

/** Nearest-rank quantiles over the last `size` samples. */
export class SampleWindow {
  private readonly samples: number[] = [];
  private next = 0;

  constructor(private readonly size: number) {}

  add(value: number): void {
    if (this.samples.length < this.size) this.samples.push(value);
    else this.samples[this.next] = value;
    this.next = (this.next + 1) % this.size;
  }

  quantiles(): QuantilesView {
    const n = this.samples.length;
    if (n === 0) return { count: 0, p50: null, p99: null, max: null };
    const sorted = [...this.samples].sort((a, b) => a - b);
    const rank = (q: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil(q * n) - 1))] ?? null;
    return { count: n, p50: rank(0.5), p99: rank(0.99), max: sorted[n - 1] ?? null };
  }
}
