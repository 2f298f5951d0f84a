import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import {
  ackThresholdFor,
  bloomContains,
  bloomFalsePositiveRate,
  DEFAULT_CHANNEL_OPTIONS,
  parseBloom,
  RollingBloomFilter
} from '../../../src/reliability/index.js'
import { channel } from './helpers.js'

const id = (n: number): string => createHash('sha256').update(`id-${n}`).digest().subarray(0, 16).toString('hex')

const defaults = (): RollingBloomFilter => new RollingBloomFilter(
  DEFAULT_CHANNEL_OPTIONS.bloomBits, DEFAULT_CHANNEL_OPTIONS.bloomHashes,
  DEFAULT_CHANNEL_OPTIONS.bloomCapacity, DEFAULT_CHANNEL_OPTIONS.bloomRollMs
)

describe('rolling bloom filter (chat2-reliable: "Bloom filter window functionality")', () => {
  it('has FP ≈ 1.7e-4 at capacity with the defaults (513 bytes on the wire)', () => {
    const filter = defaults()
    expect(filter.falsePositiveRateAtCapacity).toBeCloseTo(1.7e-4, 5)
    expect(bloomFalsePositiveRate(4096, 7, 200)).toBeCloseTo(1.704e-4, 6)
    expect(bloomFalsePositiveRate(4096, 7, 500)).toBeCloseTo(2.1e-2, 3)
    expect(filter.serialise().length).toBe(513)
  })

  it('measures an empirical FP rate close to the formula when full', () => {
    const filter = new RollingBloomFilter(4096, 7, 200, 60_000)
    for (let i = 0; i < 200; i++) filter.add(id(i), 0)
    let hits = 0
    const probes = 100_000
    for (let i = 0; i < probes; i++) if (filter.has(id(1_000_000 + i))) hits++
    const expected = bloomFalsePositiveRate(4096, 7, 200)
    expect(hits / probes).toBeLessThan(expected * 3)
    for (let i = 0; i < 200; i++) expect(filter.has(id(i))).toBe(true)
  })

  it('rolls by count: ids survive one roll, are forgotten after two', () => {
    const filter = new RollingBloomFilter(4096, 7, 10, 1e9)
    for (let i = 0; i < 10; i++) filter.add(id(i), 0)
    filter.add(id(10), 0) // generation full: rolls, id 0..9 now in "previous"
    expect(filter.has(id(0))).toBe(true)
    expect(bloomContains(filter.serialise(), id(0))).toBe(true)
    for (let i = 11; i < 21; i++) filter.add(id(i), 0) // second roll
    expect(filter.has(id(0))).toBe(false)
    expect(filter.has(id(20))).toBe(true)
  })

  it('rolls by time even when not full', () => {
    const filter = new RollingBloomFilter(4096, 7, 100, 60_000)
    filter.add(id(1), 0)
    filter.maybeRoll(59_999)
    expect(filter.has(id(1))).toBe(true)
    filter.maybeRoll(60_000)
    expect(filter.has(id(1))).toBe(true) // in the previous generation
    filter.add(id(2), 70_000)
    filter.maybeRoll(130_000)
    expect(filter.has(id(1))).toBe(false)
    expect(filter.has(id(2))).toBe(true)
  })

  it('serialises as [k, ...bits] and ignores malformed filters', () => {
    const filter = defaults()
    filter.add(id(1), 0)
    const wire = filter.serialise()
    expect(wire[0]).toBe(7)
    expect(parseBloom(wire)?.hashes).toBe(7)
    expect(parseBloom(new Uint8Array(0))).toBeUndefined()
    expect(parseBloom(new Uint8Array([7]))).toBeUndefined()
    expect(parseBloom(new Uint8Array([0, 255]))).toBeUndefined()
    expect(parseBloom(new Uint8Array([200, 255]))).toBeUndefined()
    expect(bloomContains(new Uint8Array([0, 1, 2]), id(1))).toBe(false)
  })

  it('derives the ack threshold from the FP rate: smallest t ≥ 2 with fp^t < 1e-6', () => {
    expect(ackThresholdFor(1.7e-4)).toBe(2)
    expect(ackThresholdFor(0.01)).toBe(4)
    expect(ackThresholdFor(0.05)).toBe(5)
    expect(ackThresholdFor(0)).toBe(2)
    expect(channel('a').ackThreshold).toBe(2)
    expect(channel('a', { bloomBits: 256, bloomCapacity: 100 }).ackThreshold).toBeGreaterThan(2)
  })
})
