import { describe, expect, it } from 'vitest'
import { decodeChatMessage, encodeChatMessage, type WireMessage } from '../../../src/wire/index.js'

const base: WireMessage = {
  version: 1,
  kind: 'sync',
  messageId: '00112233445566778899aabbccddeeff',
  senderId: new Uint8Array([0, 36, 8, 1, 18, 32, ...new Array(32).fill(7)]),
  channelId: 'p2pchat/x',
  lamport: 1_700_000_000_000,
  causalHistory: [],
  bloomFilter: new Uint8Array(0),
  content: new Uint8Array(0)
}

describe('ChatMessage codec', () => {
  it('round-trips every field', () => {
    const msg: WireMessage = { ...base, kind: 'content', causalHistory: [{ messageId: 'ffeeddccbbaa99887766554433221100', retrievalHint: new Uint8Array([1, 2, 3]) }], bloomFilter: new Uint8Array([7, 1, 2]), content: new Uint8Array([9, 9]) }
    const decoded = decodeChatMessage(encodeChatMessage(msg))
    expect(decoded.ok).toBe(true)
    if (!decoded.ok) return
    const plain = (m: WireMessage): unknown => ({
      ...m,
      senderId: [...m.senderId],
      bloomFilter: [...m.bloomFilter],
      content: [...m.content],
      causalHistory: m.causalHistory.map(h => ({ messageId: h.messageId, hint: [...(h.retrievalHint ?? [])] }))
    })
    expect(plain(decoded.value)).toEqual(plain(msg))
  })

  it('decodes absent bytes fields (an empty sync message) as empty Uint8Arrays, not arrays', () => {
    const decoded = decodeChatMessage(encodeChatMessage(base))
    expect(decoded.ok).toBe(true)
    if (!decoded.ok) return
    expect(decoded.value.content).toBeInstanceOf(Uint8Array)
    expect(decoded.value.bloomFilter).toBeInstanceOf(Uint8Array)
    expect(decoded.value.content.byteLength).toBe(0)
    expect(decoded.value.bloomFilter.byteLength).toBe(0)
  })
})

describe('bloom filter limit', () => {
  it('the wire limit is the reliability core\'s cap (1 KiB, as README says), and a larger option is refused', async () => {
    const { MAX_BLOOM_BYTES } = await import('../../../src/wire/index.js')
    const { BLOOM_BYTES_CAP, resolveChannelOptions } = await import('../../../src/reliability/options.js')
    expect(MAX_BLOOM_BYTES).toBe(1024)
    expect(BLOOM_BYTES_CAP).toBe(MAX_BLOOM_BYTES)
    expect(() => resolveChannelOptions({ maxBloomBytes: 2048 })).toThrow(/maxBloomBytes must be at most 1024/)
  })
})

describe('varints above 64 bits', () => {
  /** `bytes` with field `field` appended again as a raw varint (the last value of a field wins). */
  const withVarint = (bytes: Uint8Array, field: number, varint: number[]): Uint8Array => Uint8Array.from([...bytes, field << 3, ...varint])
  // 2⁶⁴ + 1_700_000_000_000 would read as 1_700_000_000_000 if the 65th bit were dropped.
  const OVER_64 = [0x80, 0xd0, 0x95, 0xff, 0xbc, 0xb1, 0x80, 0x80, 0x80, 0x02]
  const MAX_64 = [0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]

  it('refuses a lamport of 2⁶⁴ + T (a strict reader would; protobufjs alone reads T)', async () => {
    const { schema, findOverlongVarint } = await import('../../../src/wire/index.js')
    const bytes = withVarint(encodeChatMessage(base), 6, OVER_64)
    expect((schema.ChatMessage.decode(bytes) as unknown as { lamport: { toString: () => string } }).lamport.toString()).toBe('1700000000000')
    expect(findOverlongVarint(schema.ChatMessage, bytes)).toBe(6)
    expect(decodeChatMessage(bytes)).toEqual({ ok: false, reason: 'malformed', detail: 'undecodable message: varint longer than 64 bits in field 6' })
  })

  it('refuses an 11-byte varint, and reads 2⁶⁴ − 1 as a 64-bit value (then checked as a clock like any other)', async () => {
    const { schema, findOverlongVarint } = await import('../../../src/wire/index.js')
    expect(findOverlongVarint(schema.ChatMessage, withVarint(encodeChatMessage(base), 6, [...MAX_64.slice(0, 9).map(() => 0x80), 0x80, 0x00]))).toBe(6)
    expect(findOverlongVarint(schema.ChatMessage, withVarint(encodeChatMessage(base), 6, MAX_64))).toBeUndefined()
  })

  it('looks into sub-messages: a presence record inside an Ephemeral', async () => {
    const { schema, findOverlongVarint } = await import('../../../src/wire/index.js')
    const record = Uint8Array.from([3 << 3, ...OVER_64]) // PresenceRecord.version
    const ephemeral = Uint8Array.from([(1 << 3) | 2, record.byteLength, ...record])
    expect(findOverlongVarint(schema.Ephemeral, ephemeral)).toBe(1)
  })
})
