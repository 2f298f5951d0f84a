/**
 * direct.json: a direct message from alice to bob with its bytes, id, signing bytes and alice's
 * signature; the batch frame carrying two; and acknowledgements.
 */
import { directMessageId, directSigningBytes, encodeDirectAck, encodeDirectBatch, encodeDirectMessage, type DirectAck, type DirectMessage } from '../../../src/direct/index.js'
import { hex, identities, NOW, type VectorFile } from './common.js'

/** Builds direct.json. */
export async function buildDirect (): Promise<VectorFile> {
  const { alice, bob } = await identities()
  const bodies: Array<Omit<DirectMessage, 'id'>> = [
    { from: alice.id, to: bob.id, epoch: NOW, seq: 1, sentAt: NOW + 1_000, nick: 'alice', text: 'hi bob', action: false },
    { from: alice.id, to: bob.id, epoch: NOW, seq: 2, sentAt: NOW + 2_000, nick: 'alice', text: 'waves', action: true }
  ]
  const signed = await Promise.all(bodies.map(async body => {
    const bytes = encodeDirectMessage(body)
    return { body, bytes, signature: await alice.privateKey.sign(directSigningBytes(bytes)) }
  }))
  const acks: Array<{ name: string, ack: DirectAck }> = [
    { name: 'ack: both delivered', ack: { epoch: NOW, seq: 2 } },
    { name: 'ack: refused', ack: { epoch: 0, seq: 0, refusal: 'too many messages; slow down' } }
  ]
  return {
    description: 'Frames of /p2pchat/dm/1.0.0. A DirectMessage is signed by its sender\'s Ed25519 key over UTF-8 "p2pchat/dm/1" followed by the message bytes; its id is SHA-256 of the message bytes truncated to 16 bytes. A batch is one length-prefixed DirectBatch (the hex here is without the prefix), answered by one DirectAck.',
    cases: [
      ...signed.map(s => ({ name: `message seq ${s.body.seq}`, fields: s.body, hex: hex(s.bytes), id: directMessageId(s.bytes), signingHex: hex(directSigningBytes(s.bytes)), signer: alice.id, signature: hex(s.signature) })),
      { name: 'batch of both', batchHex: hex(encodeDirectBatch(signed.map(s => ({ bytes: s.bytes, signature: s.signature })))) },
      ...acks.map(a => ({ name: a.name, ack: a.ack, hex: hex(encodeDirectAck(a.ack)) }))
    ]
  }
}
