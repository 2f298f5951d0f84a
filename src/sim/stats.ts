/**
 * Small statistics for the simulator and the benchmarks: nearest-rank
 * percentiles and a summary of a sample.
 */

/** A summary of a sample (NaN fields when it is empty). */
export interface Summary {
  n: number
  median: number
  p90: number
  p99: number
  min: number
  max: number
}

/** The p-th percentile (0-100) of already sorted values, nearest-rank; NaN when empty. */
export function percentileSorted (sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]
}

/** The p-th percentile (0-100) of `values`, nearest-rank; NaN when empty. */
export function percentile (values: number[], p: number): number {
  return percentileSorted(Float64Array.from(values).sort(), p)
}

/** Median, p90, p99, min and max of `values`. */
export function summarize (values: ArrayLike<number>): Summary {
  const sorted = Float64Array.from(values).sort()
  return {
    n: sorted.length,
    median: percentileSorted(sorted, 50),
    p90: percentileSorted(sorted, 90),
    p99: percentileSorted(sorted, 99),
    min: sorted.length > 0 ? sorted[0] : Number.NaN,
    max: sorted.length > 0 ? sorted[sorted.length - 1] : Number.NaN
  }
}

/** The median of `values` (NaN when empty). */
export function median (values: number[]): number {
  return percentile(values, 50)
}
