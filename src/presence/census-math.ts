/**
 * The statistics of the probabilistic census.
 *
 * A poll asks every other peer to reply with probability p. With M = N − 1 other
 * peers, the number of replies is R ~ Binomial(M, p′) where p′ = p·(1 − loss) is the
 * chance that a peer both gets the poll, decides to reply and its reply arrives.
 *
 * Estimate:    N̂ = 1 + R / p′                       (the poller counts itself)
 * Variance:    Var(N̂) = M·(1 − p′) / p′  ≈  R·(1 − p′) / p′²
 * Relative SE: √((1 − p′) / (M·p′)) ≈ √((1 − p′) / T) where T = M·p′ is the expected replies.
 *
 * 95 % interval (z = 1.96): the Wald interval N̂ ± z·√(R(1 − p′))/p′ collapses to a point
 * when R = 0, so we use the score interval from the same binomial variance: the values
 * of M for which |R − M·p′| ≤ z·√(M·p′·(1 − p′)). Solving the quadratic
 *   p′²M² − (2Rp′ + z²p′q)M + R² = 0,  q = 1 − p′
 * gives  M = (2R + z²q ± z·√(q·(4R + z²q))) / (2p′),  and N = 1 + M, with the lower
 * bound never below 1 + R (we heard R distinct peers). For R large it equals Wald;
 * for p′ = 1 it is the exact count; for R = 0 it is [1, 1 + z²q/p′].
 */

/** z of a two-sided 95 % interval. */
export const Z95 = 1.959963984540054

/** An estimate of the room size with its 95 % interval. */
export interface SizeEstimate {
  estimate: number
  low: number
  high: number
}

/**
 * The reply probability a poller asks for: target / (expected − 1) others, capped to
 * [minP, 1]. `expectedSize` counts the poller (a size of 1 asks everyone).
 */
export function replyProbability (targetReplies: number, expectedSize: number, minP: number): number {
  const others = Math.max(1, expectedSize - 1)
  const p = targetReplies / others
  return Math.min(1, Math.max(minP, p))
}

/** N̂ and its 95 % score interval from `replies` distinct replies to a poll with probability `p`, assuming `loss`. */
export function estimateSize (replies: number, p: number, loss = 0): SizeEstimate {
  const pe = p * (1 - loss)
  if (!(pe > 0)) return { estimate: 1 + replies, low: 1 + replies, high: Number.POSITIVE_INFINITY }
  const q = Math.max(0, 1 - pe)
  const z2q = Z95 * Z95 * q
  const root = Z95 * Math.sqrt(q * (4 * replies + z2q))
  const lowM = (2 * replies + z2q - root) / (2 * pe)
  const highM = (2 * replies + z2q + root) / (2 * pe)
  return {
    estimate: 1 + replies / pe,
    low: 1 + Math.max(replies, lowM),
    high: 1 + Math.max(replies, highM)
  }
}

/** Probability that an estimate with `targetReplies` expected replies lands within ±`tolerance` (normal approximation). */
export function accuracyProbability (targetReplies: number, tolerance: number): number {
  const z = tolerance * Math.sqrt(targetReplies)
  return erf(z / Math.SQRT2)
}

/** Abramowitz–Stegun 7.1.26 (|error| < 1.5e-7). */
function erf (x: number): number {
  const sign = x < 0 ? -1 : 1
  const t = 1 / (1 + 0.3275911 * Math.abs(x))
  const y = 1 - (((((1.061405429 * t - 1.453152027) * t) + 1.421413741) * t - 0.284496736) * t + 0.254829592) * t * Math.exp(-x * x)
  return sign * y
}
