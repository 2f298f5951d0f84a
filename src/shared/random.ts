/**
 * Deterministic randomness for jitter: a small seeded PRNG (mulberry32) and a
 * string-to-seed hash, so a channel without an injected `random` is still reproducible.
 */

/** FNV-1a 32-bit hash of a string, used as a PRNG seed. */
export function seedFromString (text: string): number {
  let hash = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i)
    hash = Math.imul(hash, 0x01000193)
  }
  return hash >>> 0
}

/** A mulberry32 generator: returns numbers in [0, 1), deterministic per seed. */
export function createRandom (seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Multiplies `delay` by a factor drawn uniformly from [1 - jitter, 1 + jitter). */
export function jittered (delay: number, jitter: number, random: () => number): number {
  return delay * (1 - jitter + 2 * jitter * random())
}

/** Exponential backoff: base · 2^attempt, capped at max (attempt counts from 0). */
export function backoffDelay (attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** Math.min(attempt, 52))
}
