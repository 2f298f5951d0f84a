/**
 * decisions.json: a committee's certified batch as the `decision` body of an Ephemeral (what a
 * leader publishes on the topic), the requests and answers of /p2pchat/decisions/1.0.0, a
 * governance command, and a finality checkpoint's digest over its window.
 */
import { certificatePayload, chainDigest, GENESIS_DIGEST, initialTrustedCommittee, type CertifiedBatch } from '../../../src/consensus/index.js'
import { encodeDecision, encodeDecisionAnswer, encodeDecisionRequest, type DecisionAnswer, type DecisionRequest } from '../../../src/room/decision-codec.js'
import { finalityDigest } from '../../../src/room/finality.js'
import { encodeGovernanceCommand, type GovernanceCommand } from '../../../src/room/governance-codec.js'
import { entryOf, type EntryFields } from './committee.js'
import { hex, identities, TOPIC, unhex, type VectorFile } from './common.js'

/** A batch as JSON: entries as in committee.json, the certificate with hex fields. */
export interface BatchFields {
  entries: Array<EntryFields & { dataHex?: string }>
  certificate: { term: number, index: number, digestHex: string, signatures: Array<{ member: string, signatureHex: string }> }
}

/** The batch of JSON fields (an entry's `dataHex`, when present, is its data). */
export function batchOf (f: BatchFields): CertifiedBatch {
  return {
    entries: f.entries.map(e => e.dataHex === undefined ? entryOf(e) : { ...entryOf(e), data: unhex(e.dataHex) }),
    certificate: { term: f.certificate.term, index: f.certificate.index, digest: unhex(f.certificate.digestHex), signatures: f.certificate.signatures.map(s => ({ member: s.member, signature: unhex(s.signatureHex) })) }
  }
}

/** Builds decisions.json. */
export async function buildDecisions (): Promise<VectorFile> {
  const { alice, bob, carol } = await identities()
  const trusted = [alice.id, bob.id, carol.id]
  const committee = initialTrustedCommittee(trusted)
  const signers = [alice, bob, carol].filter(i => committee.includes(i.id)).slice(0, 2)
  const ban: GovernanceCommand = { type: 'ban', peer: carol.id, reason: 'spam', by: alice.id, issuedAt: 1_767_225_600_000 }
  const banHex = hex(encodeGovernanceCommand(ban))
  const entries: BatchFields['entries'] = [
    { index: 1, term: 1, kind: 'noop', text: '' },
    { index: 2, term: 1, kind: 'command', text: '', dataHex: banHex }
  ]
  let digest: Uint8Array = GENESIS_DIGEST
  for (const e of batchOf({ entries, certificate: { term: 1, index: 2, digestHex: '', signatures: [] } }).entries) digest = chainDigest(digest, e)
  const payload = certificatePayload(TOPIC, 1, 2, digest)
  const fields: BatchFields = { entries, certificate: { term: 1, index: 2, digestHex: hex(digest), signatures: await Promise.all(signers.map(async s => ({ member: s.id, signatureHex: hex(await s.privateKey.sign(payload)) }))) } }
  const batch = batchOf(fields)
  const requests: Array<{ name: string, request: DecisionRequest }> = [
    { name: 'catch-up: the certified entries after index 0', request: { room: TOPIC, type: 'catch-up', after: 0 } },
    { name: 'proposal: alice asks for the ban', request: { room: TOPIC, type: 'proposal', command: unhex(banHex) } }
  ]
  const answers: Array<{ name: string, answer: DecisionAnswer }> = [
    { name: 'catch-up answer: the batch', answer: { batch, accepted: false } },
    { name: 'catch-up answer: nothing newer here', answer: { accepted: false } },
    { name: 'proposal answer: taken into the log', answer: { accepted: true } },
    { name: 'proposal answer: not the leader, which is bob', answer: { accepted: false, leader: bob.id } },
    { name: 'proposal answer: refused', answer: { accepted: false, refusal: 'only trusted peers may govern this room' } }
  ]
  const ids = [{ lamport: 1_767_225_600_100, id: '00112233445566778899aabbccddeeff' }, { lamport: 1_767_225_600_100, id: '0f' + '00'.repeat(15) }, { lamport: 1_767_225_600_300, id: 'ff'.repeat(16) }, { lamport: 1_767_225_600_050, id: 'aa'.repeat(16) }]
  return {
    description: 'The room committee\'s decisions. A leader publishes a CertifiedBatch as the only field of an Ephemeral (field 7, `decision`; first byte 0x3a) in a KIND_EPHEMERAL ChatMessage; the trusted peers alice, bob and carol rank to the committee `committee`, and the certificate carries the signatures of two of them over the certificate payload (committee.json). /p2pchat/decisions/1.0.0 frames are one length-prefixed DecisionRequest and one DecisionAnswer (the hex here is without the prefix). A checkpoint\'s digest is SHA-256 over the 16-byte ids of the content messages with after < lamport <= L, in (lamport, id) order.',
    cases: [
      { name: 'a certified batch (a noop and a ban) as the Ephemeral a leader publishes', room: TOPIC, trusted, committee, batch: fields, ephemeralHex: hex(encodeDecision(batch)) },
      ...requests.map(r => ({ name: r.name, request: { ...r.request, ...(r.request.type === 'proposal' ? { command: hex(r.request.command) } : {}) }, hex: hex(encodeDecisionRequest(r.request)) })),
      ...answers.map(a => ({ name: a.name, answer: { ...a.answer, ...(a.answer.batch === undefined ? {} : { batch: fields }) }, hex: hex(encodeDecisionAnswer(a.answer)) })),
      { name: 'a checkpoint digest over the window (1767225600050, 1767225600300]: the message at ...050 is outside it', messages: ids, after: 1_767_225_600_050, lamport: 1_767_225_600_300, digest: finalityDigest(ids, 1_767_225_600_300, 1_767_225_600_050) }
    ]
  }
}
