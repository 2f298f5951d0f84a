/**
 * Small helpers both pure cores (reliability, presence) and the layers above them share:
 * a bounded id set, a binary heap, per-key token buckets, a seeded random source with backoff and jitter, and
 * option resolution. It imports nothing from the project.
 */
export { BoundedIdSet } from './bounded-set.js'
export { MinHeap } from './heap.js'
export { TokenBuckets } from './token-buckets.js'
export { backoffDelay, createRandom, jittered, seedFromString } from './random.js'
export {
  mergeOptions,
  requireNonNegativeNumbers,
  requirePositiveIntegers,
  requirePositiveNumbers,
  type OptionFailure
} from './options.js'
