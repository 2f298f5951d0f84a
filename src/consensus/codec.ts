/**
 * Encode and decode `CommitteeMessage`, the frames of `/p2pchat/committee/1.0.0`, with every
 * check a receiver needs. Decoding never throws: bad input comes back as a reason and a line.
 * Member ids are peer id strings here and multihash bytes on the wire (base58btc, as libp2p
 * writes peer ids).
 */
import Long from 'long'
import { base58btc } from 'multiformats/bases/base58'
import { P2pchatError } from '../errors.js'
import { decodeStrict } from '../wire/strict-decode.js'
import { safeUint64, type Uint64Field } from '../wire/uint64.js'
import { schema } from '../wire/schema.js'
import { COMMITTEE_LIMITS } from './constants.js'
import type { Entry, EntryKind, MemberId, Message, QuorumCertificate, Snapshot } from './types.js'
import type { CertifiedBatch } from './follower.js'

/** Why a frame was refused. */
export type CommitteeDropReason = 'malformed' | 'oversized'

/** A decoded frame, or why it was refused. */
export type CommitteeDecodeResult = { ok: true, room: string, message: Message } | { ok: false, reason: CommitteeDropReason, detail: string }

const KINDS: readonly EntryKind[] = ['command', 'config', 'noop']
const u64 = (n: number): Long => Long.fromNumber(n, true)

function memberBytes (id: MemberId): Uint8Array {
  try {
    return base58btc.baseDecode(id)
  } catch (err) {
    throw new P2pchatError('INVALID_ARGUMENT', `not a peer id: ${id}`, { cause: err })
  }
}

function rawEntry (e: Entry): object {
  return { index: u64(e.index), term: u64(e.term), kind: KINDS.indexOf(e.kind), data: e.data, members: (e.members ?? []).map(memberBytes) }
}

function rawCertificate (c: QuorumCertificate): object {
  return { term: u64(c.term), index: u64(c.index), digest: c.digest, signatures: c.signatures.map(x => ({ member: memberBytes(x.member), signature: x.signature })) }
}

function rawSnapshot (s: Snapshot): object {
  return { index: u64(s.index), term: u64(s.term), members: s.members.map(memberBytes), data: s.data }
}

/** The frame for `message` in `room`. */
export function encodeCommitteeMessage (room: string, message: Message): Uint8Array {
  const head = { room, from: memberBytes(message.from), to: memberBytes(message.to), term: u64(message.term) }
  switch (message.type) {
    case 'pre-vote': return schema.CommitteeMessage.encode({ ...head, preVote: { lastIndex: u64(message.lastIndex), lastTerm: u64(message.lastTerm) } }).finish()
    case 'vote': return schema.CommitteeMessage.encode({ ...head, vote: { lastIndex: u64(message.lastIndex), lastTerm: u64(message.lastTerm) } }).finish()
    case 'pre-vote-response': return schema.CommitteeMessage.encode({ ...head, preVoteResponse: { granted: message.granted } }).finish()
    case 'vote-response': return schema.CommitteeMessage.encode({ ...head, voteResponse: { granted: message.granted } }).finish()
    case 'append':
      return schema.CommitteeMessage.encode({
        ...head,
        append: { prevIndex: u64(message.prevIndex), prevTerm: u64(message.prevTerm), entries: message.entries.map(rawEntry), commit: u64(message.commit), ...(message.certificate === undefined ? {} : { certificate: rawCertificate(message.certificate) }) }
      }).finish()
    case 'append-response': return schema.CommitteeMessage.encode({ ...head, appendResponse: { success: message.success, index: u64(message.index), ...(message.signature === undefined ? {} : { signature: message.signature }) } }).finish()
    case 'snapshot': return schema.CommitteeMessage.encode({ ...head, snapshot: rawSnapshot(message.snapshot) }).finish()
  }
}

type U64 = Uint64Field
interface RawCertificate { term?: U64, index?: U64, digest?: Uint8Array, signatures?: Array<{ member?: Uint8Array, signature?: Uint8Array }> }
interface RawEntry { index?: U64, term?: U64, kind?: number, data?: Uint8Array, members?: Uint8Array[] }
interface RawCommittee {
  room?: string
  from?: Uint8Array
  to?: Uint8Array
  term?: U64
  body?: string
  preVote?: { lastIndex?: U64, lastTerm?: U64 }
  vote?: { lastIndex?: U64, lastTerm?: U64 }
  preVoteResponse?: { granted?: boolean }
  voteResponse?: { granted?: boolean }
  append?: { prevIndex?: U64, prevTerm?: U64, entries?: RawEntry[], commit?: U64, certificate?: RawCertificate }
  appendResponse?: { success?: boolean, index?: U64, signature?: Uint8Array }
  snapshot?: { index?: U64, term?: U64, members?: Uint8Array[], data?: Uint8Array }
}

class Refused extends Error {
  constructor (readonly reason: CommitteeDropReason, detail: string) { super(detail) }
}

function integer (value: U64, what: string): number {
  const n = safeUint64(value)
  if (n === undefined) throw new Refused('malformed', `${what} is not an integer below 2^53`)
  return n
}

function member (bytes: Uint8Array | undefined, what: string): MemberId {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0) throw new Refused('malformed', `missing ${what}`)
  if (bytes.byteLength > COMMITTEE_LIMITS.maxPeerIdBytes) throw new Refused('oversized', `${what} longer than ${COMMITTEE_LIMITS.maxPeerIdBytes} bytes`)
  return base58btc.baseEncode(bytes)
}

function members (list: Uint8Array[] | undefined, what: string): MemberId[] {
  const l = list ?? []
  if (l.length > COMMITTEE_LIMITS.maxMembers) throw new Refused('oversized', `${what} lists more than ${COMMITTEE_LIMITS.maxMembers} members`)
  return l.map(b => member(b, what))
}

function entry (raw: RawEntry): Entry {
  const kind = KINDS[raw.kind ?? 0]
  if (kind === undefined) throw new Refused('malformed', `unknown entry kind ${String(raw.kind)}`)
  const data = raw.data ?? new Uint8Array(0)
  if (data.byteLength > COMMITTEE_LIMITS.maxEntryDataBytes) throw new Refused('oversized', `an entry's data is over ${COMMITTEE_LIMITS.maxEntryDataBytes} bytes`)
  const base = { index: integer(raw.index, 'entry index'), term: integer(raw.term, 'entry term'), kind, data }
  if (kind !== 'config') return base
  const list = members(raw.members, 'a config entry')
  if (list.length === 0) throw new Refused('malformed', 'a config entry with no members')
  return { ...base, members: list }
}

function certificate (raw: RawCertificate): QuorumCertificate {
  const digest = raw.digest ?? new Uint8Array(0)
  if (digest.byteLength !== 32) throw new Refused('malformed', 'a certificate digest must be 32 bytes')
  const signatures = raw.signatures ?? []
  if (signatures.length > COMMITTEE_LIMITS.maxMembers) throw new Refused('oversized', `a certificate with more than ${COMMITTEE_LIMITS.maxMembers} signatures`)
  return {
    term: integer(raw.term, 'certificate term'),
    index: integer(raw.index, 'certificate index'),
    digest,
    signatures: signatures.map(x => ({ member: member(x.member, 'a certificate signer'), signature: signatureBytes(x.signature) }))
  }
}

function signatureBytes (bytes: Uint8Array | undefined): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0) throw new Refused('malformed', 'missing signature')
  if (bytes.byteLength > COMMITTEE_LIMITS.maxSignatureBytes) throw new Refused('oversized', `signature longer than ${COMMITTEE_LIMITS.maxSignatureBytes} bytes`)
  return bytes
}

function convert (raw: RawCommittee): { room: string, message: Message } {
  const room = raw.room ?? ''
  if (room === '') throw new Refused('malformed', 'missing room')
  if (room.length > COMMITTEE_LIMITS.maxRoomLength) throw new Refused('oversized', `room longer than ${COMMITTEE_LIMITS.maxRoomLength} characters`)
  const head = { from: member(raw.from, 'from'), to: member(raw.to, 'to'), term: integer(raw.term, 'term') }
  switch (raw.body) {
    case 'preVote':
    case 'vote': {
      const p = (raw.body === 'vote' ? raw.vote : raw.preVote) ?? {}
      return { room, message: { type: raw.body === 'vote' ? 'vote' : 'pre-vote', ...head, lastIndex: integer(p.lastIndex, 'last_index'), lastTerm: integer(p.lastTerm, 'last_term') } }
    }
    case 'preVoteResponse':
    case 'voteResponse': {
      const a = (raw.body === 'voteResponse' ? raw.voteResponse : raw.preVoteResponse) ?? {}
      return { room, message: { type: raw.body === 'voteResponse' ? 'vote-response' : 'pre-vote-response', ...head, granted: a.granted === true } }
    }
    case 'append': {
      const a = raw.append ?? {}
      const entries = a.entries ?? []
      if (entries.length > COMMITTEE_LIMITS.maxEntries) throw new Refused('oversized', `more than ${COMMITTEE_LIMITS.maxEntries} entries`)
      const base = { type: 'append' as const, ...head, prevIndex: integer(a.prevIndex, 'prev_index'), prevTerm: integer(a.prevTerm, 'prev_term'), entries: entries.map(entry), commit: integer(a.commit, 'commit') }
      return { room, message: a.certificate === undefined || a.certificate === null ? base : { ...base, certificate: certificate(a.certificate) } }
    }
    case 'appendResponse': {
      const a = raw.appendResponse ?? {}
      const base = { type: 'append-response' as const, ...head, success: a.success === true, index: integer(a.index, 'index') }
      return { room, message: a.signature === undefined || a.signature.byteLength === 0 ? base : { ...base, signature: signatureBytes(a.signature) } }
    }
    case 'snapshot': {
      const s = raw.snapshot ?? {}
      const list = members(s.members, 'a snapshot')
      if (list.length === 0) throw new Refused('malformed', 'a snapshot with no members')
      return { room, message: { type: 'snapshot', ...head, snapshot: { index: integer(s.index, 'snapshot index'), term: integer(s.term, 'snapshot term'), members: list, data: s.data ?? new Uint8Array(0) } } }
    }
    default: throw new Refused('malformed', 'a committee message with no body this build knows')
  }
}

/** Decodes one frame; never throws. */
export function decodeCommitteeMessage (bytes: Uint8Array): CommitteeDecodeResult {
  if (bytes.byteLength > COMMITTEE_LIMITS.maxFrameBytes) return { ok: false, reason: 'oversized', detail: `frame over ${COMMITTEE_LIMITS.maxFrameBytes} bytes` }
  try {
    const decoded = schema.CommitteeMessage.toObject(decodeStrict(schema.CommitteeMessage, bytes), { oneofs: true }) as RawCommittee
    return { ok: true, ...convert(decoded) }
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.reason, detail: err.message }
    return { ok: false, reason: 'malformed', detail: 'not a committee message (protobuf did not decode)' }
  }
}

/** Most entries one certified batch may carry (a catch-up answer; a batch on the topic carries far fewer). */
export const MAX_BATCH_ENTRIES = COMMITTEE_LIMITS.maxEntries

/** The `CertifiedBatch` bytes of `batch`. */
export function encodeCertifiedBatch (batch: CertifiedBatch): Uint8Array {
  return schema.CertifiedBatch.encode({ entries: batch.entries.map(rawEntry), certificate: rawCertificate(batch.certificate) }).finish()
}

/** Decodes and checks a `CertifiedBatch` (entries consecutive, the last at the certificate's index). Never throws. */
export function decodeCertifiedBatch (bytes: Uint8Array): { ok: true, batch: CertifiedBatch } | { ok: false, reason: CommitteeDropReason, detail: string } {
  if (bytes.byteLength > COMMITTEE_LIMITS.maxFrameBytes) return { ok: false, reason: 'oversized', detail: `a batch over ${COMMITTEE_LIMITS.maxFrameBytes} bytes` }
  try {
    const raw = schema.CertifiedBatch.toObject(decodeStrict(schema.CertifiedBatch, bytes)) as { entries?: RawEntry[], certificate?: RawCertificate }
    return { ok: true, batch: convertBatch(raw) }
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.reason, detail: err.message }
    return { ok: false, reason: 'malformed', detail: 'not a certified batch (protobuf did not decode)' }
  }
}

/** A raw (protobufjs object) batch, checked; throws Refused. Also used inside other messages. */
export function convertBatch (raw: { entries?: RawEntry[], certificate?: RawCertificate }): CertifiedBatch {
  const list = raw.entries ?? []
  if (list.length === 0) throw new Refused('malformed', 'a batch with no entries')
  if (list.length > MAX_BATCH_ENTRIES) throw new Refused('oversized', `a batch of more than ${MAX_BATCH_ENTRIES} entries`)
  if (raw.certificate === undefined || raw.certificate === null) throw new Refused('malformed', 'a batch with no certificate')
  const entries = list.map(entry)
  const cert = certificate(raw.certificate)
  if (entries.some((e, i) => i > 0 && e.index !== entries[i - 1].index + 1)) throw new Refused('malformed', 'a batch whose entries are not consecutive')
  if (entries[entries.length - 1].index !== cert.index) throw new Refused('malformed', 'a batch whose last entry is not at its certificate')
  return { entries, certificate: cert }
}

/** Raw protobufjs shapes, for codecs of messages that embed a batch. */
