/**
 * Repair protocol vectors: signed records (signed-record.json) and the PullRequest /
 * PullResponse frames of `/p2pchat/repair/1.0.0` (repair.json). Requests are shaped the way
 * `pullFrom` shapes them from a pull the real core planned; responses the way `handleRepair`
 * writes them; frames are an unsigned-varint length (uint8-varint, as lpStream writes it)
 * followed by the message.
 */
import { publicKeyToProtobuf } from '@libp2p/crypto/keys'
import { RPC } from '@libp2p/gossipsub/message'
import Long from 'long'
import * as varint from 'uint8-varint'
import { ReliableChannel } from '../../../src/reliability/index.js'
import { toWireMessage } from '../../../src/room/core-adapter.js'
import { signRecord, type SignedRecord } from '../../../src/room/signed-record.js'
import { encodeChatContent, encodeChatMessage, hexToBytes, schema } from '../../../src/wire/index.js'
import { hex, identities, NOW, TOPIC, utf8, type Identity, type VectorFile } from './common.js'
import { conversation } from './messages.js'
import { seqnoBytes } from './ids.js'

/** A PullRequest's fields in JSON form. */
export interface RequestFields { channelId: string, messageIds: string[], maxAncestors?: number, haveFilterHex?: string, minLamport?: number }

/** The object `pullFrom` encodes for these fields (deep fields only together with max_ancestors). */
export function wireRequest (f: RequestFields): Record<string, unknown> {
  const deep = f.maxAncestors !== undefined && f.maxAncestors > 0
  return {
    channelId: f.channelId,
    messageIds: f.messageIds.map(hexToBytes),
    ...(deep && f.haveFilterHex !== undefined ? { maxAncestors: f.maxAncestors, haveFilter: hexToBytes(f.haveFilterHex) } : {}),
    ...(deep && f.minLamport !== undefined && f.minLamport > 0 ? { minLamport: Long.fromNumber(f.minLamport, true) } : {})
  }
}

/** A length-prefixed frame: unsigned varint of the body's length, then the body. */
export function frame (body: Uint8Array): Uint8Array {
  return new Uint8Array([...varint.encode(body.byteLength), ...body])
}

/** A signed record in JSON form. */
export interface RecordFields { fromHex: string, dataHex: string, seqnoHex: string, topic: string, signatureHex: string, keyHex?: string }

/** The JSON form of a record. */
export function recordFields (r: SignedRecord): RecordFields {
  return {
    fromHex: hex(r.from),
    dataHex: hex(r.data),
    seqnoHex: hex(r.seqno),
    topic: r.topic,
    signatureHex: hex(r.signature),
    ...(r.key !== undefined ? { keyHex: hex(r.key) } : {})
  }
}

/** What is signed: "libp2p-pubsub:" ‖ the pubsub RPC.Message encoding of {from, data, seqno, topic}. */
export function signedBytes (r: Pick<SignedRecord, 'from' | 'data' | 'seqno' | 'topic'>): Uint8Array {
  return new Uint8Array([...utf8('libp2p-pubsub:'), ...RPC.Message.encode({ from: r.from, data: r.data, seqno: r.seqno, topic: r.topic })])
}

async function signedCase (name: string, signer: Identity, data: Uint8Array, seqno: Uint8Array, withKey: boolean): Promise<object> {
  const signed = await signRecord(signer.privateKey, signer.peerId, TOPIC, data, seqno)
  const record = withKey ? { ...signed, key: publicKeyToProtobuf(signer.privateKey.publicKey) } : signed
  return {
    name,
    signer: signer.who,
    record: recordFields(record),
    signedBytesHex: hex(signedBytes(record)),
    recordHex: hex(schema.SignedRecord.encode(record).finish())
  }
}

/** The signed record of alice's hello as alice answers a pull for it (signOwn: seqno = its Lamport value). */
export async function helloRecord (): Promise<SignedRecord> {
  const { ids: { alice }, hello } = await conversation()
  return await signRecord(alice.privateKey, alice.peerId, TOPIC, encodeChatMessage(toWireMessage(hello, alice.peerId)), seqnoBytes(BigInt(hello.lamport)))
}

/** signed-record.json */
export async function buildSignedRecords (): Promise<VectorFile> {
  const { ids: { alice, bob }, hello, reply } = await conversation()
  return {
    description: 'SignedRecord = a gossipsub message exactly as its sender signed it (StrictSign). signatureHex = Ed25519 signature ' +
      '(deterministic) over signedBytesHex = utf8("libp2p-pubsub:") ‖ protobuf RPC.Message {from = 1, data = 2, seqno = 3, topic = 4} ' +
      'with signature and key left out. SignedRecord uses the same field numbers, so recordHex without fields 5 and 6 is that same ' +
      'RPC.Message. Verify with the key in key (when present; it must hash to from) or else the key inlined in from (Ed25519 peer ' +
      'ids); seqno must be 8 bytes. data is the ChatMessage (see chat-message.json).',
    cases: [
      await signedCase('alice re-signs her own message to answer a pull: seqno = its Lamport value, big-endian, no key', alice,
        encodeChatMessage(toWireMessage(hello, alice.peerId)), seqnoBytes(BigInt(hello.lamport)), false),
      await signedCase('bob\'s message as gossipsub published it: seqno from gossipsub\'s counter (wall clock in ns at start, +1 per publish), with key', bob,
        encodeChatMessage(toWireMessage(reply, bob.peerId)), seqnoBytes(1767225601000000001n), true)
    ]
  }
}

/** A deep pull the real core plans: carol joins at NOW and receives a message of alice's naming 3 ids she never saw. */
export async function plannedDeepPull (): Promise<RequestFields> {
  const { alice, carol } = await identities()
  const a = new ReliableChannel(alice.id, TOPIC)
  const c = new ReliableChannel(carol.id, TOPIC)
  a.tick(NOW)
  c.tick(NOW)
  for (let i = 1; i <= 3; i++) a.send(encodeChatContent({ nick: 'alice', text: `m${i}`, action: false }), NOW + i)
  c.receive(a.send(encodeChatContent({ nick: 'alice', text: 'm4', action: false }), NOW + 4), NOW + 10)
  c.tick(NOW + 2000)
  const pull = c.drainPulls()[0]
  if (pull?.have === undefined) throw new Error('no deep pull')
  return { channelId: TOPIC, messageIds: pull.messageIds, maxAncestors: pull.maxAncestors, haveFilterHex: hex(pull.have), minLamport: pull.minLamport }
}

/** repair.json */
export async function buildRepair (): Promise<VectorFile> {
  const { hello, reply } = await conversation()
  const requests: Array<{ name: string, fields: RequestFields }> = [
    { name: 'a plain pull of two ids', fields: { channelId: TOPIC, messageIds: [hello.messageId, reply.messageId] } },
    {
      name: 'a deep pull as the core plans it (3 unknown ids named at once): max_ancestors, have_filter = our 513-byte filter, min_lamport = our join time',
      fields: await plannedDeepPull()
    }
  ]
  const record = await helloRecord()
  return {
    description: 'Frames of /p2pchat/repair/1.0.0: frameHex = unsigned varint (LEB128) of the body length ‖ bodyHex. The client ' +
      'writes one PullRequest frame (at most 8,192 bytes, so a prefix of at most 2 bytes), the server one PullResponse frame (at most ' +
      '1,048,576 bytes, a prefix of at most 3 bytes) and closes. Message ids are 16 raw bytes on the wire (hex here). A server with ' +
      'nothing to answer sends an empty PullResponse: the frame 00.',
    cases: [
      ...requests.map(r => {
        const body = schema.PullRequest.encode(wireRequest(r.fields)).finish()
        return { name: r.name, type: 'PullRequest', fields: r.fields, bodyHex: hex(body), frameHex: hex(frame(body)) }
      }),
      ...[{ name: 'an answer with one record (alice\'s hello, re-signed by alice)', records: [record] }, { name: 'an empty answer', records: [] }]
        .map(r => {
          const body = schema.PullResponse.encode({ records: r.records }).finish()
          return { name: r.name, type: 'PullResponse', records: r.records.map(recordFields), bodyHex: hex(body), frameHex: hex(frame(body)) }
        })
    ]
  }
}
