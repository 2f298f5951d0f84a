/**
 * The simulator's clock for live runs: epoch milliseconds with sub-millisecond
 * resolution (`performance.timeOrigin + performance.now()`), comparable across
 * the processes of one machine.
 */

/** Now, in epoch ms (fractional). */
export function nowEpoch (): number {
  return performance.timeOrigin + performance.now()
}

/** Resolves after `ms` (at least 0). */
export async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, Math.max(0, ms)))
}
