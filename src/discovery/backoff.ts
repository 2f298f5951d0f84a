/**
 * Exponential backoff with jitter, as a pure value: the next delay from the
 * attempt number and an injected random source.
 */

/** Backoff shape: first delay, growth factor, ceiling and jitter fraction. */
export interface BackoffOptions {
  initialMs: number
  factor: number
  maxMs: number
  /** 0.2 means each delay is scaled by a random factor in [0.8, 1.2]. */
  jitter: number
}

/** The delay before attempt `attempt` (0-based). */
export function backoffDelay (attempt: number, opts: BackoffOptions, random: () => number = Math.random): number {
  const base = Math.min(opts.maxMs, opts.initialMs * Math.pow(opts.factor, Math.max(0, attempt)))
  const spread = 1 + opts.jitter * (2 * random() - 1)
  return Math.max(0, Math.round(base * spread))
}
