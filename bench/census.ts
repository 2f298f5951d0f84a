/**
 * Census accuracy (model): 100 censuses at each of 100, 1,000 and 10,000 peers, how often
 * the estimate is within ±20 %, its mean ratio to the truth, the replies drawn, and how often
 * the 95 % interval holds the truth.
 */

import { CENSUS_NO_LOSS, runCensusSeries, summariseCensus } from '../src/sim/census-accuracy.js'

/** Runs the series and returns report lines and figures. */
export async function runCensusAccuracy (sizes: number[] = [100, 1_000, 10_000]): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const rows = sizes.map(n => summariseCensus(n, runCensusSeries(n, n, CENSUS_NO_LOSS)))
  const pct = (x: number): string => `${(x * 100).toFixed(0)}%`
  return {
    figures: { rows },
    lines: [
      `census accuracy (model): ${CENSUS_NO_LOSS.populations} rooms x ${CENSUS_NO_LOSS.censusesPerPopulation} censuses per size`,
      '      N  within ±20%  mean N̂/N  replies (later / first)  truth in 95% interval',
      ...rows.map(r => `  ${String(r.N).padStart(5)}  ${pct(r.within20).padStart(11)}  ${r.meanRatio.toFixed(3).padStart(8)}  ${`${r.meanReplies} / ${r.meanRepliesFirst}`.padStart(23)}  ${pct(r.ciCoverage).padStart(21)}`)
    ]
  }
}
