/**
 * The rolling bloom filter of received content ids, sent in every message as an
 * acknowledgement summary. Two generations (current + previous) roll by count and by
 * time; the wire carries their union: byte 0 = k (hash count), then the bit array.
 *
 * Defaults (4096 bits, k = 7, 100 ids per generation) mean at most 200 ids are ever
 * encoded, giving a false-positive rate at capacity of
 * (1 − e^(−7·200/4096))^7 ≈ 1.7e-4 in 513 bytes. Ids are already SHA-256 output, so
 * the k positions come from double hashing of two 32-bit slices of the id.
 * The filter is ONLY used for acks: dedup is exact, so a false positive never loses a message.
 */
import type { MessageId } from './types.js'

/** The two 32-bit hash seeds of an id (h2 forced odd for full-period double hashing). */
export interface BloomKey { h1: number, h2: number }

/** A decoded filter received from a peer. */
export interface ParsedBloom { hashes: number, bits: Uint8Array }

/** Largest k accepted in a serialised filter. */
export const MAX_BLOOM_HASHES = 32

/** Derives the double-hashing seeds from a hex message id. */
export function bloomKey (id: MessageId): BloomKey {
  return { h1: parseInt(id.slice(0, 8), 16) >>> 0, h2: (parseInt(id.slice(8, 16), 16) | 1) >>> 0 }
}

/** Probability that an absent id tests present, for `items` ids in `bits` bits with `hashes` hashes. */
export function bloomFalsePositiveRate (bits: number, hashes: number, items: number): number {
  return (1 - Math.exp(-hashes * items / bits)) ** hashes
}

/**
 * Distinct peers whose filters must hit before a bloom hit counts as an ack: the smallest
 * t ≥ 2 with fp^t < target (default 1e-6).
 */
export function ackThresholdFor (falsePositiveRate: number, target = 1e-6): number {
  if (!(falsePositiveRate > 0)) return 2
  if (falsePositiveRate >= 1) return Number.POSITIVE_INFINITY
  let t = 2
  while (falsePositiveRate ** t >= target) t++
  return t
}

/** Decodes a serialised filter; returns undefined for an empty or malformed one (never throws). */
export function parseBloom (bytes: Uint8Array): ParsedBloom | undefined {
  if (bytes.length < 2) return undefined
  const hashes = bytes[0]
  if (hashes < 1 || hashes > MAX_BLOOM_HASHES) return undefined
  return { hashes, bits: bytes.subarray(1) }
}

/** Tests a key against a parsed filter. */
export function parsedBloomHas (filter: ParsedBloom, key: BloomKey): boolean {
  return bitsHave(filter.bits, filter.hashes, key)
}

/** Tests an id against a serialised filter (false for empty or malformed filters). */
export function bloomContains (serialised: Uint8Array, id: MessageId): boolean {
  const parsed = parseBloom(serialised)
  return parsed !== undefined && parsedBloomHas(parsed, bloomKey(id))
}

function bitsHave (bits: Uint8Array, hashes: number, key: BloomKey): boolean {
  const m = bits.length * 8
  for (let i = 0; i < hashes; i++) {
    const position = (key.h1 + i * key.h2) % m
    if ((bits[position >>> 3] & (1 << (position & 7))) === 0) return false
  }
  return true
}

function setBits (bits: Uint8Array, hashes: number, key: BloomKey): void {
  const m = bits.length * 8
  for (let i = 0; i < hashes; i++) {
    const position = (key.h1 + i * key.h2) % m
    bits[position >>> 3] |= 1 << (position & 7)
  }
}

/** A two-generation bloom filter rolled by count (`capacity` ids) and by age (`rollMs`). */
export class RollingBloomFilter {
  private current: Uint8Array
  private previous: Uint8Array
  private currentCount = 0
  private startedAt: number | undefined
  private serialised: Uint8Array | undefined

  constructor (
    readonly bits: number,
    readonly hashes: number,
    readonly capacity: number,
    readonly rollMs: number
  ) {
    this.current = new Uint8Array(bits / 8)
    this.previous = new Uint8Array(bits / 8)
  }

  /** False-positive rate of the serialised filter when both generations are full. */
  get falsePositiveRateAtCapacity (): number {
    return bloomFalsePositiveRate(this.bits, this.hashes, 2 * this.capacity)
  }

  /** Ids in the current generation. */
  get count (): number {
    return this.currentCount
  }

  /** When the current generation will roll by age (undefined before the first add). */
  get nextRollAt (): number | undefined {
    return this.startedAt === undefined ? undefined : this.startedAt + this.rollMs
  }

  /** Records an id; rolls first if the current generation is full. */
  add (id: MessageId, now: number): void {
    this.maybeRoll(now)
    if (this.currentCount >= this.capacity) this.roll(now)
    if (this.startedAt === undefined) this.startedAt = now
    setBits(this.current, this.hashes, bloomKey(id))
    this.currentCount++
    this.serialised = undefined
  }

  /** True when the id may be in either generation. */
  has (id: MessageId): boolean {
    const key = bloomKey(id)
    return bitsHave(this.current, this.hashes, key) || bitsHave(this.previous, this.hashes, key)
  }

  /** Rolls when the current generation is older than `rollMs`. */
  maybeRoll (now: number): void {
    if (this.startedAt !== undefined && now - this.startedAt >= this.rollMs) this.roll(now)
  }

  /** The union of both generations: [k, ...bits]. Cached until the next change. */
  serialise (): Uint8Array {
    if (this.serialised !== undefined) return this.serialised
    const out = new Uint8Array(1 + this.current.length)
    out[0] = this.hashes
    for (let i = 0; i < this.current.length; i++) out[i + 1] = this.current[i] | this.previous[i]
    this.serialised = out
    return out
  }

  private roll (now: number): void {
    const recycled = this.previous
    recycled.fill(0)
    this.previous = this.current
    this.current = recycled
    this.currentCount = 0
    this.startedAt = this.previous.some((b) => b !== 0) ? now : undefined
    this.serialised = undefined
  }
}
