export interface Quantiles {
  count: number;
  p50: number;
  p99: number;
  max: number;
}

/** Nearest-rank quantiles (p50, p99, max) of a sample; all 0 for an empty one. */
export function quantiles(values: readonly number[]): Quantiles {
  if (values.length === 0) return { count: 0, p50: 0, p99: 0, max: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? 0;
  return { count: sorted.length, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? 0 };
}
