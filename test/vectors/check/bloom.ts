/** Checks of bloom.json against the code. */
import { expect } from 'vitest'
import { bloomContains, bloomKey, parseBloom, RollingBloomFilter } from '../../../src/reliability/index.js'
import { hex, unhex } from '../build/common.js'
import type { BloomOp } from '../build/bloom.js'

interface BloomStep extends BloomOp { serialisedHex: string, contains: Record<string, boolean> }

interface BloomCase {
  bits?: number
  hashes?: number
  capacity?: number
  rollMs?: number
  keys?: Array<{ id: string, h1: number, h2: number, positions: number[] }>
  steps?: BloomStep[]
  invalid?: string[]
}

/** The set bits of a serialised filter, least significant bit of byte 1 first. */
function setBits (serialised: Uint8Array): number[] {
  const out: number[] = []
  for (let p = 0; p < (serialised.length - 1) * 8; p++) if ((serialised[1 + (p >>> 3)] & (1 << (p & 7))) !== 0) out.push(p)
  return out
}

export async function checkBloom (c: BloomCase): Promise<void> {
  for (const bad of c.invalid ?? []) {
    expect(parseBloom(unhex(bad))).toBeUndefined()
    expect(bloomContains(unhex(bad), '00112233445566778899aabbccddeeff')).toBe(false)
  }
  if (c.steps === undefined || c.bits === undefined || c.hashes === undefined || c.capacity === undefined || c.rollMs === undefined) return
  for (const key of c.keys ?? []) {
    expect(bloomKey(key.id)).toEqual({ h1: key.h1, h2: key.h2 })
    const alone = new RollingBloomFilter(c.bits, c.hashes, c.capacity, c.rollMs)
    alone.add(key.id, 0)
    expect(setBits(alone.serialise())).toEqual([...new Set(key.positions)].sort((a, b) => a - b))
  }
  const filter = new RollingBloomFilter(c.bits, c.hashes, c.capacity, c.rollMs)
  for (const step of c.steps) {
    if (step.op === 'add') filter.add(step.id as string, step.now)
    else filter.maybeRoll(step.now)
    const serialised = filter.serialise()
    expect(serialised.length).toBe(1 + c.bits / 8)
    expect(serialised[0]).toBe(c.hashes)
    expect(hex(serialised)).toBe(step.serialisedHex)
    for (const [id, want] of Object.entries(step.contains)) expect(bloomContains(unhex(step.serialisedHex), id), id).toBe(want)
  }
}
