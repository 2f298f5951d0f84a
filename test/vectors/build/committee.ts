/**
 * committee.json: one CommitteeMessage of each kind between the fixed identities, with its
 * bytes; the chained entry digests of a small log; and a certificate payload with alice's
 * Ed25519 signature over it.
 */
import { certificatePayload, chainDigest, encodeCommitteeMessage, GENESIS_DIGEST, type Entry, type Message } from '../../../src/consensus/index.js'
import { hex, identities, TOPIC, unhex, type VectorFile } from './common.js'

/** An entry as JSON (data as UTF-8 text). */
export interface EntryFields { index: number, term: number, kind: Entry['kind'], text: string, members?: string[] }

/** The entry of JSON fields. */
export function entryOf (f: EntryFields): Entry {
  return { index: f.index, term: f.term, kind: f.kind, data: new TextEncoder().encode(f.text), ...(f.members === undefined ? {} : { members: f.members }) }
}

/** A message as JSON: entries and snapshot data as text. */
export type MessageFields = Record<string, unknown>

/** The message of JSON fields. */
export function messageOf (f: MessageFields): Message {
  const m = { ...f } as Record<string, unknown>
  if (Array.isArray(m.entries)) m.entries = (m.entries as EntryFields[]).map(entryOf)
  if (typeof m.signatureHex === 'string') { m.signature = unhex(m.signatureHex); delete m.signatureHex }
  if (m.certificate !== undefined) {
    const c = m.certificate as { term: number, index: number, digestHex: string, signatures: Array<{ member: string, signatureHex: string }> }
    m.certificate = { term: c.term, index: c.index, digest: unhex(c.digestHex), signatures: c.signatures.map(x => ({ member: x.member, signature: unhex(x.signatureHex) })) }
  }
  if (m.snapshot !== undefined) {
    const s = m.snapshot as { index: number, term: number, members: string[], text: string }
    m.snapshot = { index: s.index, term: s.term, members: s.members, data: new TextEncoder().encode(s.text) }
  }
  return m as unknown as Message
}

/** Builds committee.json. */
export async function buildCommittee (): Promise<VectorFile> {
  const { alice, bob, carol } = await identities()
  const a = alice.id
  const b = bob.id
  const log: EntryFields[] = [
    { index: 1, term: 1, kind: 'noop', text: '' },
    { index: 2, term: 1, kind: 'config', text: '', members: [a, b, carol.id] },
    { index: 3, term: 2, kind: 'command', text: 'title: welcome' }
  ]
  let digest: Uint8Array = GENESIS_DIGEST
  const digests: string[] = []
  for (const e of log) { digest = chainDigest(digest, entryOf(e)); digests.push(hex(digest)) }
  const payload = certificatePayload(TOPIC, 2, 3, digest)
  const signatureOf = async (who: typeof alice): Promise<string> => hex(await who.privateKey.sign(payload))
  const certificate = { term: 2, index: 3, digestHex: hex(digest), signatures: [{ member: a, signatureHex: await signatureOf(alice) }, { member: b, signatureHex: await signatureOf(bob) }] }
  const messages: Array<{ name: string, fields: MessageFields }> = [
    { name: 'pre-vote: alice polls bob for term 2', fields: { type: 'pre-vote', from: a, to: b, term: 2, lastIndex: 2, lastTerm: 1 } },
    { name: 'vote: alice asks bob for his vote in term 2', fields: { type: 'vote', from: a, to: b, term: 2, lastIndex: 2, lastTerm: 1 } },
    { name: 'pre-vote-response: granted', fields: { type: 'pre-vote-response', from: b, to: a, term: 2, granted: true } },
    { name: 'vote-response: refused', fields: { type: 'vote-response', from: b, to: a, term: 2, granted: false } },
    { name: 'append: two entries after (1, 1), commit 1', fields: { type: 'append', from: a, to: b, term: 2, prevIndex: 1, prevTerm: 1, entries: log.slice(1), commit: 1 } },
    { name: 'append: a heartbeat', fields: { type: 'append', from: a, to: b, term: 2, prevIndex: 3, prevTerm: 2, entries: [], commit: 3 } },
    { name: 'append-response: holds up to 3', fields: { type: 'append-response', from: b, to: a, term: 2, success: true, index: 3 } },
    { name: 'append-response: holds up to 3, with bob\'s signature over the certificate payload', fields: { type: 'append-response', from: b, to: a, term: 2, success: true, index: 3, signatureHex: await signatureOf(bob) } },
    { name: 'append: a heartbeat carrying a certificate (alice and bob of three) for index 3', fields: { type: 'append', from: a, to: carol.id, term: 2, prevIndex: 3, prevTerm: 2, entries: [], commit: 3, certificate } },
    { name: 'snapshot: state at index 3', fields: { type: 'snapshot', from: a, to: b, term: 2, snapshot: { index: 3, term: 2, members: [a, b, carol.id], text: '{"title":"welcome"}' } } }
  ]
  const cases: unknown[] = messages.map(({ name, fields }) => ({ name, room: TOPIC, fields, hex: hex(encodeCommitteeMessage(TOPIC, messageOf(fields))) }))
  cases.push({ name: 'chained entry digests of a three-entry log', log, digests })
  cases.push({ name: 'certificate payload for (room, term 2, index 3, digest), signed by alice', room: TOPIC, term: 2, index: 3, digest: hex(digest), payload: hex(payload), signer: a, signature: hex(await alice.privateKey.sign(payload)) })
  return {
    description: 'Frames of /p2pchat/committee/1.0.0 (one length-prefixed CommitteeMessage each; the hex here is the message without the prefix). Member ids are peer id strings in "fields" and multihash bytes on the wire. Entry digests chain: d_i = SHA-256("p2pchat/committee/entry/1" || d_{i-1} || u64 index || u64 term || kind byte (command 0, config 1, noop 2) || u64 len || data || u64 member count || (u64 len || UTF-8 peer id string) per member), d_0 = 32 zero bytes, u64 big-endian. A certificate signs SHA-256("p2pchat/committee/certificate/1" || u64 len || UTF-8 room || u64 term || u64 index || d_index) with the member\'s Ed25519 key (libp2p\'s key, as the peer id).',
    cases
  }
}
