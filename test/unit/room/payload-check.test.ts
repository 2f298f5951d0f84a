import { describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import fc from 'fast-check'
import { BLAMELESS_REASONS, checkPayload } from '../../../src/room/payload-check.js'
import { encodeChatContent, encodeChatMessage, schema, type WireMessage } from '../../../src/wire/index.js'
import Long from 'long'

const topic = 'p2pchat/x'
const alice = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
const mallory = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))

function message (overrides: Partial<WireMessage> = {}): WireMessage {
  return {
    version: 1,
    kind: 'content',
    messageId: '00112233445566778899aabbccddeeff',
    senderId: alice.toMultihash().bytes,
    channelId: topic,
    lamport: 1_700_000_000_000,
    causalHistory: [{ messageId: 'ffeeddccbbaa99887766554433221100' }],
    bloomFilter: new Uint8Array(64),
    content: encodeChatContent({ nick: 'alice', text: 'hi', action: false }),
    ...overrides
  }
}

const signer = alice.toMultihash().bytes

describe('checkPayload', () => {
  it('accepts a well-formed message signed by its sender', () => {
    const result = checkPayload(topic, encodeChatMessage(message()), signer)
    expect(result.ok).toBe(true)
    if (result.ok) {
      expect(result.wire.messageId).toBe('00112233445566778899aabbccddeeff')
      expect(result.wire.lamport).toBe(1_700_000_000_000)
      expect(result.wire.causalHistory).toEqual([{ messageId: 'ffeeddccbbaa99887766554433221100' }])
    }
  })

  it.each([
    ['unsigned', () => checkPayload(topic, encodeChatMessage(message()), undefined)],
    ['forged-sender', () => checkPayload(topic, encodeChatMessage(message({ senderId: mallory.toMultihash().bytes })), signer)],
    ['wrong-channel', () => checkPayload(topic, encodeChatMessage(message({ channelId: 'p2pchat/other' })), signer)],
    ['malformed', () => checkPayload(topic, new Uint8Array([0xff, 0xff, 0xff, 0x01]), signer)],
    ['oversized', () => checkPayload(topic, new Uint8Array(70 * 1024), signer)],
    ['oversized', () => checkPayload(topic, encodeChatMessage(message({ causalHistory: Array.from({ length: 51 }, () => ({ messageId: '00112233445566778899aabbccddeeff' })) })), signer)],
    ['oversized', () => checkPayload(topic, encodeChatMessage(message({ bloomFilter: new Uint8Array(5000) })), signer)],
    ['malformed', () => checkPayload(topic, encodeChatMessage(message({ kind: 'sync' })), signer)],
    ['bad-content', () => checkPayload(topic, encodeChatMessage(message({ content: encodeChatContent({ nick: 'x'.repeat(33), text: 'hi', action: false }) })), signer)],
    ['bad-content', () => checkPayload(topic, encodeChatMessage(message({ content: encodeChatContent({ nick: 'a', text: 'x'.repeat(4001), action: false }) })), signer)],
    ['bad-field', () => checkPayload(topic, schema.ChatMessage.encode({ version: 1, kind: 1, messageId: new Uint8Array(3), senderId: signer, channelId: topic }).finish(), signer)],
    ['unsupported-version', () => checkPayload(topic, schema.ChatMessage.encode({ version: 0, kind: 1, messageId: new Uint8Array(16), senderId: signer, channelId: topic }).finish(), signer)],
    ['unsupported-kind', () => checkPayload(topic, schema.ChatMessage.encode({ version: 1, kind: 9, messageId: new Uint8Array(16), senderId: signer, channelId: topic }).finish(), signer)],
    ['malformed', () => checkPayload(topic, schema.ChatMessage.encode({ version: 1, messageId: new Uint8Array(16), senderId: signer, channelId: topic }).finish(), signer)],
    ['clock-skew', () => checkPayload(topic, schema.ChatMessage.encode({ version: 1, kind: 1, messageId: new Uint8Array(16), senderId: signer, channelId: topic, lamport: Long.MAX_UNSIGNED_VALUE }).finish(), signer)]
  ])('drops %s', (reason, run) => {
    const result = run()
    expect(result.ok).toBe(false)
    if (!result.ok) {
      expect(result.reason).toBe(reason)
      expect(result.detail).not.toContain('\n')
    }
  })

  it('a kind a later version may add, and a clock far ahead, are no offence of the forwarder (Ignore, not Reject)', () => {
    expect([...BLAMELESS_REASONS].sort()).toEqual(['clock-skew', 'unsupported-kind'])
  })

  it('never throws on random or mutated bytes (fuzz)', () => {
    const valid = encodeChatMessage(message())
    fc.assert(fc.property(
      fc.oneof(
        fc.uint8Array({ maxLength: 2048 }),
        fc.tuple(fc.nat(valid.length - 1), fc.integer({ min: 0, max: 255 }), fc.nat(valid.length))
          .map(([i, b, cut]) => { const m = valid.slice(0, Math.max(cut, i + 1)); m[i] = b; return m })
      ),
      bytes => {
        const result = checkPayload(topic, bytes, signer)
        return result.ok || typeof result.reason === 'string'
      }
    ), { numRuns: 3000, seed: 42 })
  })
})
