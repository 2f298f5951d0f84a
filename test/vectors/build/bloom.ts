/**
 * bloom.json: the rolling bloom filter bit for bit. Each case is a sequence of operations
 * on a real `RollingBloomFilter`; after each one it records the serialised filter (what a
 * ChatMessage's bloom_filter and a PullRequest's have_filter carry) and membership answers
 * of `bloomContains` (what a receiver runs on a peer's filter).
 */
import { bloomContains, bloomKey, RollingBloomFilter } from '../../../src/reliability/index.js'
import { hex, type VectorFile } from './common.js'

/** One operation: `add` an id, or `tick` (the roll-by-age check every tick makes). */
export interface BloomOp { op: 'add' | 'tick', now: number, id?: string }

/** The bit positions of an id, as a receiver computes them: (h1 + i·h2) mod m, exact (no 32-bit wrap). */
export function positions (id: string, hashes: number, m: number): number[] {
  const { h1, h2 } = bloomKey(id)
  return Array.from({ length: hashes }, (_, i) => (h1 + i * h2) % m)
}

interface Params { bits: number, hashes: number, capacity: number, rollMs: number }

const DEFAULTS: Params = { bits: 4096, hashes: 7, capacity: 100, rollMs: 60_000 }

function play (name: string, note: string, params: Params, ops: BloomOp[], probes: string[]): object {
  const filter = new RollingBloomFilter(params.bits, params.hashes, params.capacity, params.rollMs)
  const steps = ops.map(op => {
    if (op.op === 'add') filter.add(op.id as string, op.now)
    else filter.maybeRoll(op.now)
    const serialised = filter.serialise()
    return { ...op, serialisedHex: hex(serialised), contains: Object.fromEntries(probes.map(id => [id, bloomContains(serialised, id)])) }
  })
  const ids = [...new Set([...ops.flatMap(o => o.id === undefined ? [] : [o.id]), ...probes])]
  const keys = ids.map(id => ({ id, ...bloomKey(id), positions: positions(id, params.hashes, params.bits) }))
  return { name, note, ...params, keys, steps }
}

const X = '0f61a3c2a1b8d7e65d2c9a8b7f6e5d4c'
const Y = 'c4b3e2f1a0918273645546372819aabb'
const Z = '5a5a5a5a00000001ffeeddccbbaa9988'
/** Same first 8 bytes as X: the same bit positions (only bytes 0-7 are hashed). */
const X_TWIN = '0f61a3c2a1b8d7e60000000000000000'
/** X with the low bit of byte 7 flipped: h2 is forced odd, so the same positions again. */
const X_ODD = '0f61a3c2a1b8d7e75d2c9a8b7f6e5d4c'
const ABSENT = '00112233445566778899aabbccddeeff'
const HIGH = 'fffffff0fffffff10000000000000000'

/** bloom.json */
export function buildBloom (): VectorFile {
  const counted = ['11111111000000010000000000000000', '22222222000000030000000000000000', '33333333000000050000000000000000',
    '44444444000000070000000000000000', '55555555000000090000000000000000']
  return {
    description: 'The rolling bloom filter. Serialised form: byte 0 = k (number of hashes), then the bit array; the union (OR) of two ' +
      'generations. Key of an id (16 bytes): h1 = bytes 0-3 as a big-endian uint32, h2 = (bytes 4-7 as a big-endian uint32) | 1. ' +
      'Position i (0 ≤ i < k) = (h1 + i·h2) mod m with m = 8 × (length − 1), computed exactly (h1 + i·h2 can exceed 2^32: do not ' +
      'wrap); bit p is (byte 1 + floor(p / 8)) & (1 << (p mod 8)), least significant bit first. An id is present when all k bits ' +
      'are set. Replay each case\'s ops on a filter with its bits, hashes, capacity and rollMs: add rolls first when the current ' +
      'generation is older than rollMs or already holds capacity ids; tick rolls when it is older than rollMs. A roll makes the ' +
      'current generation the previous one (the old previous is forgotten) and starts an empty current one, whose age counts from ' +
      'that roll if the new previous has any bit set, else from its first add. After each op compare serialisedHex and the ' +
      'membership answers (contains). keys gives h1, h2 and the positions for every id in the case.',
    cases: [
      play('defaults: 513 bytes, 3 ids, look-alikes and an absent id',
        'X_TWIN shares bytes 0-7 with X and X_ODD differs only in the low bit of byte 7: both test present although never added.',
        DEFAULTS, [{ op: 'add', id: X, now: 0 }, { op: 'add', id: Y, now: 10 }, { op: 'add', id: Z, now: 20 }], [X, Y, Z, X_TWIN, X_ODD, ABSENT]),
      play('roll by age: an id lasts two generations',
        'X enters at 0; Y at 60000 rolls first (X moves to the previous generation); the tick at 120000 rolls again and forgets X.',
        DEFAULTS, [{ op: 'add', id: X, now: 0 }, { op: 'add', id: Y, now: 60_000 }, { op: 'tick', now: 119_999 }, { op: 'tick', now: 120_000 }], [X, Y]),
      play('roll by count: capacity 2',
        'The third add rolls first (current full); the fifth rolls again, so the first two are forgotten.',
        { ...DEFAULTS, capacity: 2 }, counted.map((id, i) => ({ op: 'add', id, now: i })), counted),
      play('a foreign size: 800 bits, k = 3 (no 32-bit wrap)',
        'Receivers accept any k in 1..32 and any length ≥ 2 (up to the message limits). With h1 and h2 near 2^32, a position ' +
        'computed with 32-bit wrap-around would differ here, because 800 does not divide 2^32.',
        { bits: 800, hashes: 3, capacity: 100, rollMs: 60_000 }, [{ op: 'add', id: HIGH, now: 0 }], [HIGH, ABSENT]),
      { name: 'filters a receiver treats as empty', note: 'bloomContains answers false for each, whatever the id.', invalid: ['', '07', '00ff', '21ff'] }
    ]
  }
}
