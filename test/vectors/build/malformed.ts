/**
 * malformed.json: inputs a receiver must refuse, each with the layer that refuses it and
 * the reason it is counted under in /status. A few accepted boundary inputs sit beside
 * them (expect.ok), so the limits are pinned from both sides.
 */
import { encodeEphemeral } from '../../../src/presence/codec.js'
import { computeMessageId } from '../../../src/reliability/index.js'
import { toWireMessage } from '../../../src/room/core-adapter.js'
import { encodeChatContent, encodeChatMessage, schema, type WireMessage } from '../../../src/wire/index.js'
import { hex, NOW, TOPIC, unhex, type Identity, type VectorFile } from './common.js'
import { judge, statusCounter, type MalformedCase } from './judge.js'
import { conversation } from './messages.js'
import { helloRecord, recordFields } from './repair.js'

type Raw = Record<string, unknown>

/** Re-encodes a ChatMessage after changing its decoded protobuf object (to write what our encoder never would). */
function mutate (bytes: Uint8Array, change: (raw: Raw) => void): Uint8Array {
  const raw = schema.ChatMessage.toObject(schema.ChatMessage.decode(bytes)) as Raw
  change(raw)
  return schema.ChatMessage.encode(schema.ChatMessage.fromObject(raw)).finish()
}

/** A well-formed ChatMessage from `sender` with the given changes and a correct id. */
function message (sender: Identity, base: WireMessage, change: Partial<WireMessage>, chat?: { nick: string, text: string }): Uint8Array {
  const content = chat !== undefined ? encodeChatContent({ ...chat, action: false }) : change.content ?? base.content
  const m = { ...base, ...change, content }
  const messageId = change.messageId ?? computeMessageId({ channelId: m.channelId, senderId: sender.id, lamport: m.lamport, kind: m.kind, content })
  return encodeChatMessage({ ...m, messageId })
}

const bytesOf = (n: number, fill = 7): Uint8Array => new Uint8Array(n).fill(fill)

/** `value` + 2^64 as a 10-byte varint: protobufjs alone would read it as `value`. */
function overlong (value: number): Uint8Array {
  const v = BigInt(value) + (1n << 64n)
  return Uint8Array.from({ length: 10 }, (_, i) => Number((v >> BigInt(7 * i)) & 0x7fn) | (i < 9 ? 0x80 : 0))
}

/** malformed.json */
export async function buildMalformed (): Promise<VectorFile> {
  const { ids: { alice, bob }, reply } = await conversation()
  const w = toWireMessage(reply, bob.peerId)
  const good = encodeChatMessage(w)
  const id16 = w.messageId
  const cases: MalformedCase[] = []
  const wire = (name: string, input: Uint8Array): void => { cases.push({ name, layer: 'chat-message', inputHex: hex(input) }) }
  wire('version absent (0)', mutate(good, r => { delete r.version }))
  wire('kind absent (KIND_UNSPECIFIED)', mutate(good, r => { delete r.kind }))
  wire('kind 4 (unknown)', mutate(good, r => { r.kind = 4 }))
  wire('message_id of 15 bytes', mutate(good, r => { r.messageId = bytesOf(15) }))
  wire('sender_id absent', mutate(good, r => { delete r.senderId }))
  wire('sender_id of 129 bytes', mutate(good, r => { r.senderId = bytesOf(129) }))
  wire('channel_id absent', mutate(good, r => { delete r.channelId }))
  wire('channel_id of 257 characters', mutate(good, r => { r.channelId = 'x'.repeat(257) }))
  wire('lamport 2^53 (not a safe integer)', mutate(good, r => { r.lamport = '9007199254740992' }))
  wire('causal history of 51 entries', mutate(good, r => { r.causalHistory = Array.from({ length: 51 }, () => ({ messageId: unhex(id16) })) }))
  wire('causal history entry with a 15-byte id', mutate(good, r => { r.causalHistory = [{ messageId: bytesOf(15) }] }))
  wire('retrieval hint of 129 bytes', mutate(good, r => { r.causalHistory = [{ messageId: unhex(id16), retrievalHint: bytesOf(129) }] }))
  wire('sync with content', mutate(good, r => { r.kind = 2 }))
  wire('truncated protobuf', good.subarray(0, 20))
  wire('lamport as a 10-byte varint with bit 64 set (T + 2^64)', new Uint8Array([...mutate(good, r => { delete r.lamport }), 0x30, ...overlong(w.lamport)]))
  cases.push({ name: 'a message of 65,537 bytes (checked before decoding)', layer: 'chat-message', zeros: 65_537 })

  const payload = (name: string, input: Uint8Array, topic = TOPIC, signer = bob): void => {
    cases.push({ name, layer: 'payload', context: { topic, signer: signer.who }, inputHex: hex(input) })
  }
  payload('sender_id is bob, the gossipsub signer is alice', good, TOPIC, alice)
  payload('channel_id p2pchat/x arriving on topic p2pchat/y', good, 'p2pchat/y')
  payload('content that is not a ChatContent', message(bob, w, { content: Uint8Array.of(0xff) }))
  payload('nick of 33 characters', message(bob, w, {}, { nick: 'n'.repeat(33), text: 'hi' }))
  payload('text of 4,001 UTF-16 code units (ASCII)', message(bob, w, {}, { nick: 'bob', text: 'a'.repeat(4001) }))
  payload('text of 2,001 emoji: 2,001 code points but 4,002 UTF-16 code units', message(bob, w, {}, { nick: 'bob', text: '😀'.repeat(2001) }))
  payload('accepted: text of 2,000 emoji (4,000 UTF-16 code units)', message(bob, w, {}, { nick: 'bob', text: '😀'.repeat(2000) }))
  payload('accepted: text of 4,000 ASCII characters', message(bob, w, {}, { nick: 'bob', text: 'a'.repeat(4000) }))

  const now = NOW + 2000
  const core = (name: string, input: Uint8Array): void => {
    cases.push({ name, layer: 'core', context: { topic: TOPIC, signer: 'bob', receiver: 'carol', now }, inputHex: hex(input) })
  }
  core('message_id is not the hash of the message', message(bob, w, { messageId: 'ffeeddccbbaa99887766554433221100' }))
  core('lamport more than 5 minutes ahead of the receiver\'s now', message(bob, w, { lamport: now + 300_001 }))
  core('accepted: lamport exactly 5 minutes ahead', message(bob, w, { lamport: now + 300_000 }))
  core('bloom filter of 1,025 bytes', message(bob, w, { bloomFilter: bytesOf(1025) }))
  core('accepted: bloom filter of 1,024 bytes', message(bob, w, { bloomFilter: bytesOf(1024) }))
  core('causal history naming the message itself', message(bob, w, { causalHistory: [{ messageId: computeMessageId({ channelId: TOPIC, senderId: bob.id, lamport: w.lamport, kind: 'content', content: w.content }) }] }))

  const eph = (name: string, input: Uint8Array): void => { cases.push({ name, layer: 'ephemeral', inputHex: hex(input) }) }
  const rec = { type: 'presence' as const, envelopeId: '0123456789abcdef0123456789abcdef', origin: alice.multihash, version: NOW, issuedAt: NOW, ttlSeconds: 90, nick: 'alice', status: '', away: false, client: 'p2pchat/0.1.0', joinedAt: NOW, periodMs: 30_000 }
  eph('no body (empty bytes)', new Uint8Array(0))
  eph('an unknown body (field 15): a newer kind, ignored', Uint8Array.of(0x7a, 0x00))
  eph('envelope_id of 15 bytes', encodeEphemeral({ ...rec, envelopeId: '0123456789abcdef0123456789abcd' }))
  eph('version 0', encodeEphemeral({ ...rec, version: 0 }))
  eph('ttl_seconds 0', encodeEphemeral({ ...rec, ttlSeconds: 0 }))
  eph('period_ms 0', encodeEphemeral({ ...rec, periodMs: 0 }))
  eph('nick of 33 characters', encodeEphemeral({ ...rec, nick: 'n'.repeat(33) }))
  eph('status of 101 characters', encodeEphemeral({ ...rec, status: 's'.repeat(101) }))
  eph('client of 65 characters', encodeEphemeral({ ...rec, client: 'c'.repeat(65) }))
  eph('more than 1,024 bytes (checked before decoding)', encodeEphemeral({ ...rec, status: 's'.repeat(1000) }))
  eph('poll with p = 0', encodeEphemeral({ type: 'poll', pollId: rec.envelopeId, origin: alice.multihash, p: 0, issuedAt: NOW }))
  eph('poll with p = 1.5', encodeEphemeral({ type: 'poll', pollId: rec.envelopeId, origin: alice.multihash, p: 1.5, issuedAt: NOW }))

  const presence = (name: string, input: Uint8Array, at = NOW): void => {
    cases.push({ name, layer: 'presence', context: { receiver: 'bob', sender: 'alice', now: at }, inputHex: hex(input) })
  }
  presence('origin is bob, the signer alice', encodeEphemeral({ ...rec, origin: bob.multihash }))
  presence('expired: issued_at + 90 s TTL + 60 s skew < now', encodeEphemeral(rec), NOW + 150_001)
  presence('accepted: issued_at + 90 s TTL + 60 s skew = now', encodeEphemeral(rec), NOW + 150_000)
  presence('issued_at more than 60 s ahead', encodeEphemeral({ ...rec, issuedAt: NOW + 60_001 }))
  presence('poll with p below 1e-4', encodeEphemeral({ type: 'poll', pollId: rec.envelopeId, origin: alice.multihash, p: 0.00005, issuedAt: NOW }))
  presence('reply to a poll the receiver never saw', encodeEphemeral({ type: 'reply', pollId: rec.envelopeId, responder: alice.multihash }))

  const prefix = (name: string, input: string, maxDataLength: number): void => {
    cases.push({ name, layer: 'length-prefix', context: { maxDataLength }, inputHex: input })
  }
  prefix('ff ff ff ff on a request stream (8 KiB frames: at most 2 prefix bytes)', 'ffffffff', 8 * 1024)
  prefix('ff ff ff ff on an answer stream (1 MiB frames: at most 3 prefix bytes)', 'ffffffff', 1024 * 1024)
  prefix('an overlong encoding of 0 (80 80 80 80 00)', '8080808000', 1024 * 1024)
  prefix('a 2-byte prefix of 16,383 on a request stream', 'ff7f', 8 * 1024)
  prefix('1,048,577 on an answer stream', '818040', 1024 * 1024)
  prefix('accepted: 1,048,576 on an answer stream', '808040', 1024 * 1024)

  const record = await helloRecord()
  const signed = (name: string, change: Partial<typeof record>): void => {
    cases.push({ name, layer: 'signed-record', record: recordFields({ ...record, ...change }) })
  }
  const flipped = Uint8Array.from(record.signature)
  flipped[0] ^= 1
  signed('one bit of the signature flipped', { signature: flipped })
  signed('data changed after signing', { data: Uint8Array.from([...record.data, 0x7a, 0x00]) })
  signed('seqno of 7 bytes', { seqno: record.seqno.subarray(1) })
  signed('key is bob\'s, from is alice', { key: bob.multihash.subarray(2) })
  signed('key that is not a public key', { key: Uint8Array.of(0xff) })
  signed('from that is not a multihash', { from: Uint8Array.of(0xff) })

  return {
    description: 'Inputs a receiver must refuse, by layer. chat-message: decodeChatMessage (topic validator, gossipsub Reject). payload: ' +
      'the envelope checks after decoding (context.signer signed the gossipsub message, context.topic is where it arrived; Reject). ' +
      'core: passes the topic validator (so gossipsub forwards it) and is dropped by the receiver\'s reliability core (a fresh core ' +
      'for context.receiver, first clock reading context.now). ephemeral: decodeEphemeral. presence: Presence.validate at context.now ' +
      'for a receiver that knows nothing yet (action reject or ignore). length-prefix: a repair stream reading a varint prefix one byte ' +
      'at a time for frames of at most context.maxDataLength (the stream is reset at once). signed-record: verifyRecord (a pulled ' +
      'record). counter is the /status key the refusal is counted under; expect.detail is our log text, not a requirement. ' +
      'Cases named "accepted: …" pin a limit from the other side. "zeros": n means n zero bytes.',
    cases: await Promise.all(cases.map(async c => {
      const expect = await judge(c)
      const counter = statusCounter(c, expect)
      return { ...c, expect, ...(counter !== undefined ? { counter } : {}) }
    }))
  }
}
