/** Checks of direct.json against the code. */
import { peerIdFromString } from '@libp2p/peer-id'
import { expect } from 'vitest'
import { decodeDirectAck, decodeDirectBatch, decodeDirectMessage, directMessageId, directSigningBytes, encodeDirectAck, encodeDirectMessage, type DirectAck, type DirectMessage } from '../../../src/direct/index.js'
import { hex, unhex } from '../build/common.js'

interface DirectCase { fields?: Omit<DirectMessage, 'id'>, hex?: string, id?: string, signingHex?: string, signer?: string, signature?: string, batchHex?: string, ack?: DirectAck }

/** Recomputes one case of direct.json. */
export async function checkDirect (c: DirectCase, all: DirectCase[]): Promise<void> {
  if (c.fields !== undefined && c.hex !== undefined) {
    expect(hex(encodeDirectMessage(c.fields))).toBe(c.hex)
    expect(decodeDirectMessage(unhex(c.hex))).toEqual({ ok: true, message: { ...c.fields, id: c.id } })
    expect(directMessageId(unhex(c.hex))).toBe(c.id)
    expect(hex(directSigningBytes(unhex(c.hex)))).toBe(c.signingHex)
    const key = peerIdFromString(String(c.signer)).publicKey
    expect(await key?.verify(unhex(String(c.signingHex)), unhex(String(c.signature)))).toBe(true)
    return
  }
  if (c.batchHex !== undefined) {
    const messages = all.filter(x => x.fields !== undefined)
    const decoded = decodeDirectBatch(unhex(c.batchHex))
    expect(decoded.ok && decoded.messages.map(m => [m.message.id, hex(m.signature)])).toEqual(messages.map(m => [m.id, m.signature]))
    return
  }
  expect(hex(encodeDirectAck(c.ack as DirectAck))).toBe(c.hex)
  expect(decodeDirectAck(unhex(String(c.hex)))).toEqual(c.ack)
}
