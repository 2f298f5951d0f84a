/**
 * The harness of malformed.json: feeds one case to the layer of the real code it names
 * (decoders, the topic validator's checks, a fresh reliability core, presence, the repair
 * stream's prefix reader, signature verification) and reports what that layer answered.
 */
import { isP2pchatError } from '../../../src/errors.js'
import { Presence } from '../../../src/presence/index.js'
import { decodeEphemeral } from '../../../src/presence/codec.js'
import { ReliableChannel } from '../../../src/reliability/index.js'
import { toCoreMessage } from '../../../src/room/core-adapter.js'
import { checkPayload } from '../../../src/room/payload-check.js'
import { verifyRecord } from '../../../src/room/signed-record.js'
import { decodeChatMessage, limitedLengthDecoder } from '../../../src/wire/index.js'
import { identities, NOW, TOPIC, unhex, type Identity, type Who } from './common.js'
import type { RecordFields } from './repair.js'

/** How a stream reader fed `bytes` one at a time (as lpStream reads a prefix) ends. */
export type PrefixOutcome =
  | { outcome: 'malformed-length', afterBytes: number }
  | { outcome: 'oversized-frame', afterBytes: number, length: number }
  | { outcome: 'length', afterBytes: number, length: number }
  | { outcome: 'incomplete' }

/** Reads a length prefix byte by byte with the real decoder, as `lpStream` does with `lengthDecoder`. */
export function readPrefix (bytes: Uint8Array, maxDataLength: number): PrefixOutcome {
  const decode = limitedLengthDecoder(maxDataLength)
  for (let n = 1; n <= bytes.byteLength; n++) {
    const part = bytes.subarray(0, n)
    let length: number
    try {
      length = decode({ byteLength: n, subarray: () => part })
    } catch (err) {
      if (err instanceof RangeError) continue
      if (isP2pchatError(err, 'DECODE_FAILED')) return { outcome: 'malformed-length', afterBytes: n }
      throw err
    }
    return length > maxDataLength ? { outcome: 'oversized-frame', afterBytes: n, length } : { outcome: 'length', afterBytes: n, length }
  }
  return { outcome: 'incomplete' }
}

/** One case of malformed.json, without its expectation. */
export interface MalformedCase {
  name: string
  layer: 'chat-message' | 'payload' | 'core' | 'ephemeral' | 'presence' | 'length-prefix' | 'signed-record'
  context?: { topic?: string, signer?: Who, receiver?: Who, sender?: Who, now?: number, maxDataLength?: number }
  inputHex?: string
  zeros?: number
  record?: RecordFields
}

/** What the real code answers for a case: `{ ok: true, … }` or the reason (and our detail text). */
export async function judge (c: MalformedCase): Promise<Record<string, unknown>> {
  const ids = await identities()
  const input = c.zeros !== undefined ? new Uint8Array(c.zeros) : unhex(c.inputHex ?? '')
  const x = c.context ?? {}
  const who = (w: Who | undefined): Identity => ids[w ?? 'alice']
  switch (c.layer) {
    case 'chat-message': {
      const r = decodeChatMessage(input)
      return r.ok ? { ok: true } : { reason: r.reason, detail: r.detail }
    }
    case 'payload':
    case 'core': {
      const r = checkPayload(x.topic ?? TOPIC, input, who(x.signer).multihash)
      if (!r.ok) return { reason: r.reason, detail: r.detail }
      if (c.layer === 'payload') return { ok: true }
      const channel = new ReliableChannel(who(x.receiver).id, x.topic ?? TOPIC)
      channel.tick(x.now ?? NOW)
      const result = channel.receive(toCoreMessage(r.wire, who(x.signer).peerId), x.now ?? NOW)
      return result.status === 'dropped' ? { reason: result.reason } : { ok: true, status: result.status }
    }
    case 'ephemeral': {
      const r = decodeEphemeral(input)
      return r.ok ? { ok: true } : { reason: r.reason, detail: r.detail }
    }
    case 'presence': {
      const verdict = new Presence(who(x.receiver).id).validate(input, who(x.sender).id, x.now ?? NOW)
      return verdict.action === 'accept' ? { ok: true } : { action: verdict.action, reason: verdict.reason }
    }
    case 'length-prefix':
      return readPrefix(input, x.maxDataLength ?? 0)
    case 'signed-record': {
      const f = c.record as RecordFields
      const verified = await verifyRecord({
        from: unhex(f.fromHex), data: unhex(f.dataHex), seqno: unhex(f.seqnoHex), topic: f.topic, signature: unhex(f.signatureHex),
        ...(f.keyHex !== undefined ? { key: unhex(f.keyHex) } : {})
      })
      return verified.ok ? { ok: true, from: verified.from.toString() } : { detail: verified.detail }
    }
  }
}

/** The /status counter a refused case is counted under (room.ts), or undefined when it is accepted. */
export function statusCounter (c: MalformedCase, expect: Record<string, unknown>): string | undefined {
  if (expect.ok === true || expect.outcome === 'length') return undefined
  switch (c.layer) {
    case 'ephemeral':
    case 'presence': return `presence-${String(expect.reason)}`
    case 'length-prefix': return `repair-${String(expect.outcome)}`
    case 'signed-record': return 'bad-signature'
    default: return String(expect.reason)
  }
}
