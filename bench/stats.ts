/**
 * Small statistics for benchmark reports: percentiles and a summary line.
 */

/** The p-th percentile (0-100) of `values`, nearest-rank. */
export function percentile (values: number[], p: number): number {
  if (values.length === 0) return Number.NaN
  const sorted = [...values].sort((a, b) => a - b)
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))
  return sorted[rank]
}

/** Median, p90, p99, min and max of `values`. */
export function summarize (values: number[]): { n: number, median: number, p90: number, p99: number, min: number, max: number } {
  return {
    n: values.length,
    median: percentile(values, 50),
    p90: percentile(values, 90),
    p99: percentile(values, 99),
    min: Math.min(...values),
    max: Math.max(...values)
  }
}

/** Formats milliseconds with one decimal. */
export function ms (value: number): string {
  return `${value.toFixed(1)} ms`
}
