/**
 * Small statistics for benchmark reports: the simulator's percentiles and
 * summaries, plus formatting helpers.
 */

export { percentile, summarize, median, type Summary } from '../src/sim/stats.js'

/** Formats milliseconds with one decimal. */
export function ms (value: number): string {
  return `${value.toFixed(1)} ms`
}
