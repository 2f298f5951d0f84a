/**
 * Presence bandwidth per peer (issue: presence roster), measured through the room
 * driver on the model network at 10, 100 and 1,000 participants: records and bytes
 * each peer receives per minute in steady state, against the large-room bound.
 */

import { measurePresenceBandwidthDriven as measurePresenceBandwidth, PRESENCE_BOUND_PER_MIN } from '../src/sim/presence-bandwidth.js'

/** Runs the measurement and returns report lines and figures. */
export async function runPresenceBandwidth (sizes: number[] = [10, 100, 1000]): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const rows = sizes.map(n => measurePresenceBandwidth(n, n))
  return {
    figures: { rows, boundPerMin: PRESENCE_BOUND_PER_MIN },
    lines: [
      `presence bandwidth (model network, every peer running the room driver): steady-state bound ${PRESENCE_BOUND_PER_MIN.toFixed(1)} records per peer per minute`,
      '  peers  period  records/min (mean, max)  payload/min  wire/min  smallest roster',
      ...rows.map(r => `  ${String(r.peers).padStart(5)}  ${String(r.periodS).padStart(4)} s  ${String(r.msgsPerMin).padStart(8)}, ${String(r.maxMsgsPerMin).padStart(6)}        ${(r.bytesPerMin / 1000).toFixed(1).padStart(6)} KB  ${(r.wireBytesPerMin / 1000).toFixed(1).padStart(6)} KB  ${r.minRoster}`)
    ]
  }
}
