/**
 * Identity vectors: the fixed keys and their peer id forms (keys.json), p2pchat message
 * ids with their SHA-256 preimage (message-ids.json), and gossipsub's own message ids
 * and fast ids as a p2pchat node configures gossipsub (gossipsub-message-ids.json).
 */
import { publicKeyToProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { gossipsub, type Message, type SignedMessage } from '@libp2p/gossipsub'
import type { ComponentLogger, Logger, PeerId, PublicKey } from '@libp2p/interface'
import { chatGossipsubOptions } from '../../../src/node/create-node.js'
import { fastMsgId } from '../../../src/node/fast-msg-id.js'
import { computeMessageId, KIND_CODES, type MessageKind } from '../../../src/reliability/index.js'
import { encodeChatContent } from '../../../src/wire/index.js'
import { hex, identities, NOW, TOPIC, utf8, type Identity, type VectorFile } from './common.js'

/** keys.json */
export async function buildKeys (): Promise<VectorFile> {
  const ids = await identities()
  return {
    description: 'The fixed Ed25519 identities every other vector uses: generateKeyPairFromSeed(\'Ed25519\', seed) of @libp2p/crypto. ' +
      'peerIdString (base58btc of the multihash, 12D3KooW…) is the form in message-id preimages; peerIdMultihashHex is the form in every ' +
      'protobuf peer id field; publicKeyProtobufHex is SignedRecord.key and the prefix of gossipsub message ids; peerIdCid is shown only ' +
      'to say that p2pchat never uses it.',
    cases: Object.values(ids).map((i: Identity) => ({
      name: i.who,
      seedHex: hex(i.seed),
      privateKeyProtobufHex: hex(privateKeyToProtobuf(i.privateKey)),
      publicKeyProtobufHex: hex(publicKeyToProtobuf(i.privateKey.publicKey)),
      peerIdMultihashHex: hex(i.multihash),
      peerIdString: i.id,
      peerIdCid: i.peerId.toCID().toString()
    }))
  }
}

/** The id preimage, spelled out byte by byte (message-id.ts computes the same in one pass). */
function preimage (channelId: string, senderId: string, lamport: number, kind: MessageKind, content: Uint8Array): Uint8Array {
  const lamportBytes = new Uint8Array(8)
  new DataView(lamportBytes.buffer).setBigUint64(0, BigInt(lamport), false)
  return Buffer.concat([utf8('p2pchat/msgid/v1'), utf8(channelId), Uint8Array.of(0), utf8(senderId), Uint8Array.of(0),
    lamportBytes, Uint8Array.of(KIND_CODES[kind]), content])
}

/** message-ids.json */
export async function buildMessageIds (): Promise<VectorFile> {
  const { alice, bob } = await identities()
  const hello = encodeChatContent({ nick: 'alice', text: 'hello', action: false })
  const inputs: Array<{ name: string, channelId: string, sender: Identity, lamport: number, kind: MessageKind, content: Uint8Array }> = [
    { name: 'content: alice says hello', channelId: TOPIC, sender: alice, lamport: NOW, kind: 'content', content: hello },
    { name: 'the same content one ms later has another id', channelId: TOPIC, sender: alice, lamport: NOW + 1, kind: 'content', content: hello },
    { name: 'the same content from bob has another id', channelId: TOPIC, sender: bob, lamport: NOW, kind: 'content', content: hello },
    { name: 'sync: empty content', channelId: TOPIC, sender: bob, lamport: NOW + 2, kind: 'sync', content: new Uint8Array(0) },
    { name: 'ephemeral: the bytes of an Ephemeral', channelId: TOPIC, sender: alice, lamport: NOW + 3, kind: 'ephemeral', content: Uint8Array.of(0x0a, 0x00) },
    { name: 'a non-ASCII channel id is UTF-8 in the preimage', channelId: 'p2pchat/café ☕', sender: alice, lamport: 1, kind: 'content', content: hello },
    { name: 'the largest Lamport value (2^53 - 1)', channelId: TOPIC, sender: alice, lamport: Number.MAX_SAFE_INTEGER, kind: 'content', content: hello }
  ]
  return {
    description: 'message_id = first 16 bytes of SHA-256(preimageHex); preimage = utf8("p2pchat/msgid/v1") ‖ utf8(channelId) ‖ 0x00 ‖ ' +
      'utf8(senderId) ‖ 0x00 ‖ uint64 big-endian lamport ‖ uint8 kind (content 1, sync 2, ephemeral 3) ‖ content. senderId is the ' +
      'base58btc peer id string (12D3KooW…), not its bytes. messageId is lowercase hex.',
    cases: inputs.map(c => ({
      name: c.name,
      channelId: c.channelId,
      senderId: c.sender.id,
      lamport: c.lamport,
      kind: c.kind,
      contentHex: hex(c.content),
      preimageHex: hex(preimage(c.channelId, c.sender.id, c.lamport, c.kind, c.content)),
      messageId: computeMessageId({ channelId: c.channelId, senderId: c.sender.id, lamport: c.lamport, kind: c.kind, content: c.content })
    }))
  }
}

/** Gossipsub's id functions as `chatGossipsubOptions()` configures them (the node's real settings). */
export interface GossipIdFns {
  msgIdFn: (msg: Message) => Promise<Uint8Array> | Uint8Array
  msgIdToStrFn: (id: Uint8Array) => string
  fastMsgIdFn: (msg: { from?: Uint8Array, seqno?: Uint8Array, data?: Uint8Array }) => string | number
}

const silent: Logger = Object.assign(() => {}, { error: () => {}, trace: () => {}, enabled: false, newScope: () => silent })
const logger: ComponentLogger = { forComponent: () => silent }

/** A gossipsub router built (not started) with p2pchat's options, for its id functions. */
export function gossipIdFns (): GossipIdFns {
  const router = gossipsub(chatGossipsubOptions())({ logger } as never) as unknown as GossipIdFns
  return { msgIdFn: router.msgIdFn, msgIdToStrFn: router.msgIdToStrFn, fastMsgIdFn: router.fastMsgIdFn }
}

/** A signed gossipsub message as the router sees it (only the fields the id functions read matter). */
export function signedMessage (from: PeerId, key: PublicKey, seqno: bigint): SignedMessage {
  return { type: 'signed', from, key, sequenceNumber: seqno, topic: TOPIC, data: new Uint8Array(0), signature: new Uint8Array(64) }
}

/** The 8 bytes of a seqno, big-endian. */
export function seqnoBytes (seqno: bigint): Uint8Array {
  const out = new Uint8Array(8)
  new DataView(out.buffer).setBigUint64(0, seqno, false)
  return out
}

/** gossipsub-message-ids.json */
export async function buildGossipIds (): Promise<VectorFile> {
  const { alice, bob } = await identities()
  const fns = gossipIdFns()
  const cases = []
  for (const [signer, seqno] of [[alice, 1767225600000000001n], [bob, 1767225600000000002n], [alice, 0x0102030405060708n]] as const) {
    const id = await fns.msgIdFn(signedMessage(signer.peerId, signer.privateKey.publicKey, seqno))
    cases.push({
      name: `${signer.who}, seqno ${seqno}`,
      signer: signer.who,
      peerIdMultihashHex: hex(signer.multihash),
      seqnoHex: hex(seqnoBytes(seqno)),
      messageIdHex: hex(id),
      messageIdString: fns.msgIdToStrFn(id),
      fastMsgId: fastMsgId({ from: signer.multihash, seqno: seqnoBytes(seqno) })
    })
  }
  return {
    description: 'Gossipsub message ids as a p2pchat node computes them (@libp2p/gossipsub 17 under StrictSign, no msgIdFn override): ' +
      'messageIdHex = publicKeyToProtobuf(signer key) (36 bytes for Ed25519) ‖ seqno (8 bytes, big-endian) = 44 bytes; this is what ' +
      'IHAVE, IWANT and IDONTWANT carry. It is NOT from ‖ seqno (46 bytes, go-libp2p-pubsub\'s default): the 2-byte identity-multihash ' +
      'header 0x00 0x24 is not part of it. messageIdString (unpadded base64) keys the local seen cache. fastMsgId = padded base64(from) ‖ ' +
      'padded base64(seqno) is p2pchat\'s fastMsgIdFn, a local cache key only, never on the wire.',
    cases
  }
}
