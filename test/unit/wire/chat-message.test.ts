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
