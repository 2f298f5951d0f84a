/**
 * Encode and decode `Ephemeral` (presence record, leave, lost peer, suspected peer, census poll,
 * census reply),
 * the content of KIND_EPHEMERAL messages, with every size and field check a
 * receiver needs. Decoding never throws: bad input comes back as a reason.
 * Ids are lowercase hex here; peer ids stay multihash bytes (the caller compares
 * them with the signed gossipsub sender).
 */
import Long from 'long'
import { schema } from '../wire/schema.js'
import { bytesToHex, hexToBytes } from '../wire/hex.js'
import { decodeStrict } from '../wire/strict-decode.js'
import { PRESENCE_LIMITS } from './constants.js'

/** One peer's versioned presence (`PresenceRecord`). */
export interface PresenceRecordMessage {
  type: 'presence'
  /** 16 bytes, lowercase hex. */
  envelopeId: string
  /** Origin peer id, multihash bytes. */
  origin: Uint8Array
  version: number
  /** Origin's clock (ms). */
  issuedAt: number
  ttlSeconds: number
  nick: string
  status: string
  away: boolean
  client: string
  /** Origin's clock (ms). */
  joinedAt: number
  periodMs: number
}

/** A clean quit (`PresenceLeave`). */
export interface PresenceLeaveMessage {
  type: 'leave'
  envelopeId: string
  origin: Uint8Array
  version: number
  issuedAt: number
}

/** A peer found gone by the origin (`PresenceLost`). */
export interface PresenceLostMessage {
  type: 'lost'
  envelopeId: string
  origin: Uint8Array
  /** The lost peer, multihash bytes. */
  subject: Uint8Array
  /** Its latest version the origin knew. */
  version: number
  issuedAt: number
}

/** A peer whose probes failed, suspected by the origin (`PresenceSuspect`). */
export interface PresenceSuspectMessage {
  type: 'suspect'
  envelopeId: string
  origin: Uint8Array
  /** The suspected peer, multihash bytes. */
  subject: Uint8Array
  /** Its latest version the origin knew. */
  version: number
  issuedAt: number
}

/** A census poll (`CensusPoll`). */
export interface CensusPollMessage {
  type: 'poll'
  /** 16 bytes, lowercase hex. */
  pollId: string
  origin: Uint8Array
  /** Reply probability in (0, 1]. */
  p: number
  issuedAt: number
}

/** An answer to a census poll (`CensusReply`). */
export interface CensusReplyMessage {
  type: 'reply'
  pollId: string
  responder: Uint8Array
}

/** Every body of an `Ephemeral`. */
export type EphemeralMessage = PresenceRecordMessage | PresenceLeaveMessage | PresenceLostMessage | PresenceSuspectMessage | CensusPollMessage | CensusReplyMessage

/** Why bytes were refused by the codec. */
export type CodecDropReason = 'malformed' | 'oversized' | 'unsupported'

/** A decoded message, or a reason and a one-line detail. */
export type EphemeralDecodeResult = { ok: true, value: EphemeralMessage } | { ok: false, reason: CodecDropReason, detail: string }

const u64 = (n: number): Long => Long.fromNumber(n, true)

/** Encodes an `Ephemeral`. The caller provides well-formed fields (see `decodeEphemeral` for the bounds). */
export function encodeEphemeral (msg: EphemeralMessage): Uint8Array {
  switch (msg.type) {
    case 'presence':
      return schema.Ephemeral.encode({
        presence: {
          envelopeId: hexToBytes(msg.envelopeId),
          origin: msg.origin,
          version: u64(msg.version),
          issuedAt: u64(msg.issuedAt),
          ttlSeconds: msg.ttlSeconds,
          nick: msg.nick,
          status: msg.status,
          away: msg.away,
          client: msg.client,
          joinedAt: u64(msg.joinedAt),
          periodMs: msg.periodMs
        }
      }).finish()
    case 'leave':
      return schema.Ephemeral.encode({
        leave: { envelopeId: hexToBytes(msg.envelopeId), origin: msg.origin, version: u64(msg.version), issuedAt: u64(msg.issuedAt) }
      }).finish()
    case 'lost':
      return schema.Ephemeral.encode({
        lost: { envelopeId: hexToBytes(msg.envelopeId), origin: msg.origin, subject: msg.subject, version: u64(msg.version), issuedAt: u64(msg.issuedAt) }
      }).finish()
    case 'suspect':
      return schema.Ephemeral.encode({
        suspect: { envelopeId: hexToBytes(msg.envelopeId), origin: msg.origin, subject: msg.subject, version: u64(msg.version), issuedAt: u64(msg.issuedAt) }
      }).finish()
    case 'poll':
      return schema.Ephemeral.encode({
        poll: { pollId: hexToBytes(msg.pollId), origin: msg.origin, p: msg.p, issuedAt: u64(msg.issuedAt) }
      }).finish()
    case 'reply':
      return schema.Ephemeral.encode({ reply: { pollId: hexToBytes(msg.pollId), responder: msg.responder } }).finish()
  }
}

type U64 = number | Long | undefined | null

interface RawEphemeral {
  body?: string
  presence?: {
    envelopeId?: Uint8Array, origin?: Uint8Array, version?: U64, issuedAt?: U64, ttlSeconds?: number,
    nick?: string, status?: string, away?: boolean, client?: string, joinedAt?: U64, periodMs?: number
  }
  leave?: { envelopeId?: Uint8Array, origin?: Uint8Array, version?: U64, issuedAt?: U64 }
  lost?: { envelopeId?: Uint8Array, origin?: Uint8Array, subject?: Uint8Array, version?: U64, issuedAt?: U64 }
  suspect?: { envelopeId?: Uint8Array, origin?: Uint8Array, subject?: Uint8Array, version?: U64, issuedAt?: U64 }
  poll?: { pollId?: Uint8Array, origin?: Uint8Array, p?: number, issuedAt?: U64 }
  reply?: { pollId?: Uint8Array, responder?: Uint8Array }
}

/** A protobuf uint64 as a safe integer, or undefined when it is not one. */
function safe (value: U64): number | undefined {
  if (value === undefined || value === null) return 0
  const n = typeof value === 'number' ? value : (value.high >>> 0) > 0x1fffff ? Number.POSITIVE_INFINITY : value.toNumber()
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined
}

class Refused extends Error {
  constructor (readonly reason: CodecDropReason, detail: string) {
    super(detail)
  }
}

function id (bytes: Uint8Array | undefined, what: string): string {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== PRESENCE_LIMITS.idBytes) throw new Refused('malformed', `${what} must be ${PRESENCE_LIMITS.idBytes} bytes`)
  return bytesToHex(bytes)
}

function peer (bytes: Uint8Array | undefined, what: string): Uint8Array {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength === 0) throw new Refused('malformed', `missing ${what}`)
  if (bytes.byteLength > PRESENCE_LIMITS.maxPeerIdBytes) throw new Refused('oversized', `${what} longer than ${PRESENCE_LIMITS.maxPeerIdBytes} bytes`)
  return bytes
}

function integer (value: U64, what: string, min: number): number {
  const n = safe(value)
  if (n === undefined || n < min) throw new Refused('malformed', `${what} must be an integer >= ${min}`)
  return n
}

function text (value: string | undefined, what: string, max: number): string {
  const s = value ?? ''
  if (s.length > max) throw new Refused('oversized', `${what} longer than ${max} characters`)
  return s
}

function convert (raw: RawEphemeral): EphemeralMessage {
  switch (raw.body) {
    case 'presence': {
      const r = raw.presence ?? {}
      return {
        type: 'presence',
        envelopeId: id(r.envelopeId, 'envelope id'),
        origin: peer(r.origin, 'origin'),
        version: integer(r.version, 'version', 1),
        issuedAt: integer(r.issuedAt, 'issued_at', 0),
        ttlSeconds: integer(r.ttlSeconds, 'ttl_seconds', 1),
        nick: text(r.nick, 'nick', PRESENCE_LIMITS.maxNickLength),
        status: text(r.status, 'status', PRESENCE_LIMITS.maxStatusLength),
        away: r.away === true,
        client: text(r.client, 'client', PRESENCE_LIMITS.maxClientLength),
        joinedAt: integer(r.joinedAt, 'joined_at', 0),
        periodMs: integer(r.periodMs, 'period_ms', 1)
      }
    }
    case 'leave': {
      const r = raw.leave ?? {}
      return {
        type: 'leave',
        envelopeId: id(r.envelopeId, 'envelope id'),
        origin: peer(r.origin, 'origin'),
        version: integer(r.version, 'version', 1),
        issuedAt: integer(r.issuedAt, 'issued_at', 0)
      }
    }
    case 'lost':
    case 'suspect': {
      const r = (raw.body === 'lost' ? raw.lost : raw.suspect) ?? {}
      return {
        type: raw.body,
        envelopeId: id(r.envelopeId, 'envelope id'),
        origin: peer(r.origin, 'origin'),
        subject: peer(r.subject, 'subject'),
        version: integer(r.version, 'version', 1),
        issuedAt: integer(r.issuedAt, 'issued_at', 0)
      }
    }
    case 'poll': {
      const r = raw.poll ?? {}
      const p = r.p ?? 0
      if (!(Number.isFinite(p) && p > 0 && p <= 1)) throw new Refused('malformed', 'poll p must lie in (0, 1]')
      return { type: 'poll', pollId: id(r.pollId, 'poll id'), origin: peer(r.origin, 'origin'), p, issuedAt: integer(r.issuedAt, 'issued_at', 0) }
    }
    case 'reply': {
      const r = raw.reply ?? {}
      return { type: 'reply', pollId: id(r.pollId, 'poll id'), responder: peer(r.responder, 'responder') }
    }
    default:
      throw new Refused('malformed', 'empty ephemeral message')
  }
}

/** Decodes and checks an `Ephemeral`. Never throws. */
export function decodeEphemeral (bytes: Uint8Array): EphemeralDecodeResult {
  if (!(bytes instanceof Uint8Array)) return { ok: false, reason: 'malformed', detail: 'not bytes' }
  if (bytes.byteLength > PRESENCE_LIMITS.maxEphemeralBytes) {
    return { ok: false, reason: 'oversized', detail: `ephemeral message of ${bytes.byteLength} bytes exceeds ${PRESENCE_LIMITS.maxEphemeralBytes}` }
  }
  try {
    const raw = decodeStrict(schema.Ephemeral, bytes) as unknown as RawEphemeral
    // A body of a newer version (a field number we do not know): not the sender's fault.
    if (raw.body === undefined && bytes.byteLength > 0) return { ok: false, reason: 'unsupported', detail: 'ephemeral message of a kind this version does not know' }
    return { ok: true, value: convert(raw) }
  } catch (err) {
    if (err instanceof Refused) return { ok: false, reason: err.reason, detail: err.message }
    return { ok: false, reason: 'malformed', detail: `undecodable ephemeral message: ${(err as Error).message}` }
  }
}
