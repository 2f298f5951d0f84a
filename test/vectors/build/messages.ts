/**
 * chat-message.json: whole ChatMessages as the real reliability core and wire codec
 * produce them (alice says hello, bob answers, bob's sync, carol with retrieval hints),
 * and two decode-only variants (version 2, an unknown field).
 */
import { ReliableChannel, type ReliableMessage } from '../../../src/reliability/index.js'
import { toWireMessage } from '../../../src/room/core-adapter.js'
import { encodeChatContent, encodeChatMessage, type ChatContent, type WireMessage } from '../../../src/wire/index.js'
import { hex, identities, NOW, TOPIC, type Identity, type VectorFile, type Who } from './common.js'

/** A ChatMessage's fields in JSON form. */
export interface WireFields {
  version: number
  kind: WireMessage['kind']
  messageId: string
  senderIdHex: string
  channelId: string
  lamport: number
  causalHistory: Array<{ messageId: string, retrievalHintHex?: string }>
  bloomFilterHex: string
  contentHex: string
}

/** The JSON form of a wire message. */
export function wireFields (wire: WireMessage): WireFields {
  return {
    version: wire.version,
    kind: wire.kind,
    messageId: wire.messageId,
    senderIdHex: hex(wire.senderId),
    channelId: wire.channelId,
    lamport: wire.lamport,
    causalHistory: wire.causalHistory.map(h => h.retrievalHint === undefined
      ? { messageId: h.messageId }
      : { messageId: h.messageId, retrievalHintHex: hex(h.retrievalHint) }),
    bloomFilterHex: hex(wire.bloomFilter),
    contentHex: hex(wire.content)
  }
}

function line (nick: string, text: string, action = false): Uint8Array {
  return encodeChatContent({ nick, text, action })
}

function entry (name: string, msg: ReliableMessage, sender: Identity, chatContent: ChatContent | null): object {
  const wire = toWireMessage(msg, sender.peerId)
  return { name, senderPeerId: sender.id, fields: wireFields(wire), chatContent, hex: hex(encodeChatMessage(wire)) }
}

/** The messages of the conversation, with the identities that sent them. */
export interface Conversation {
  ids: Record<Who, Identity>
  hello: ReliableMessage
  reply: ReliableMessage
  sync: ReliableMessage
  wave: ReliableMessage
}

/** The little conversation the message vectors come from (deterministic: fixed keys and clock). */
export async function conversation (): Promise<Conversation> {
  const ids = await identities()
  const { alice, bob, carol } = ids
  const a = new ReliableChannel(alice.id, TOPIC)
  const b = new ReliableChannel(bob.id, TOPIC)
  const c = new ReliableChannel(carol.id, TOPIC, { includeRetrievalHints: true })
  a.tick(NOW)
  b.tick(NOW)
  c.tick(NOW)
  const hello = a.send(line('alice', 'hello'), NOW)
  b.receive(hello, NOW + 500)
  const reply = b.send(line('bob', 'hi alice'), NOW + 1000)
  b.drainOutgoing()
  b.tick(NOW + 61_000) // quiet for a minute: a resend of `reply` and a sync message
  const sync = b.drainOutgoing().find(m => m.kind === 'sync')
  if (sync === undefined) throw new Error('no sync message')
  c.receive(hello, NOW + 2000)
  c.receive(reply, NOW + 2000)
  const wave = c.send(line('carol', 'waves', true), NOW + 3000)
  return { ids, hello, reply, sync, wave }
}

/** chat-message.json */
export async function buildChatMessages (): Promise<VectorFile> {
  const { ids: { alice, bob, carol }, hello, reply, sync, wave } = await conversation()
  const replyWire = toWireMessage(reply, bob.peerId)
  const v2 = encodeChatMessage({ ...replyWire, version: 2 })
  const unknownField = new Uint8Array([...encodeChatMessage(replyWire), 0x7a, 0x03, 0x61, 0x62, 0x63]) // field 15, bytes "abc"
  return {
    description: 'Whole ChatMessages (gossipsub data) with their fields and protobuf bytes (hex). Built by the real core: alice says ' +
      'hello; bob, who received it, answers (history [hello], his bloom filter holds hello); bob\'s sync a minute later; carol with ' +
      'includeRetrievalHints on (off by default, so p2pchat never sends hints). senderPeerId is the string the message id is computed ' +
      'over. Cases with "decodeOnly" are bytes a receiver must accept as the given fields: version 2 is treated as version 1, and ' +
      'unknown fields are skipped.',
    cases: [
      entry('content: alice says hello (empty history, empty-set bloom filter)', hello, alice, { nick: 'alice', text: 'hello', action: false }),
      entry('content: bob answers', reply, bob, { nick: 'bob', text: 'hi alice', action: false }),
      entry('sync: bob after a quiet minute', sync, bob, null),
      entry('content: a /me action from carol, with retrieval hints', wave, carol, { nick: 'carol', text: 'waves', action: true }),
      { name: 'decode only: bob answers, version 2', decodeOnly: true, senderPeerId: bob.id, fields: { ...wireFields(replyWire), version: 2 }, hex: hex(v2) },
      { name: 'decode only: bob answers plus unknown field 15', decodeOnly: true, senderPeerId: bob.id, fields: wireFields(replyWire), hex: hex(unknownField) }
    ]
  }
}
