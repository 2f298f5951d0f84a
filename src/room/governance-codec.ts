/**
 * Encode and decode `GovernanceCommand`, the data of the room committee's command entries:
 * bans, titles, pins and finality checkpoints. Decoding never throws; a bad command comes back
 * as a one-line reason. Peer ids are strings here and multihash bytes on the wire.
 */
import Long from 'long'
import { defaultPeerIdFromBytes, defaultPeerIdToBytes } from '../presence/index.js'
import { P2pchatError } from '../errors.js'
import { bytesToHex, decodeStrict, hexToBytes, MAX_TEXT_LENGTH, MESSAGE_ID_BYTES, safeUint64, schema, type Uint64Field } from '../wire/index.js'

/** Longest room title. */
export const MAX_TITLE_LENGTH = 200
/** Longest ban reason. */
export const MAX_BAN_REASON_LENGTH = 200
/** Largest encoded command (an entry's data is capped at 16 KiB; a command is far smaller). */
export const MAX_COMMAND_BYTES = 1024

/** What a command does. */
export type GovernanceAction =
  | { type: 'ban', peer: string, reason: string }
  | { type: 'unban', peer: string }
  | { type: 'title', text: string }
  | { type: 'pin', messageId: string }
  | { type: 'unpin', messageId: string }
  | { type: 'checkpoint', lamport: number, digest: string }

/** A command, as proposed by a committee member. */
export type GovernanceCommand = GovernanceAction & { by: string, issuedAt: number }

function peerBytes (peer: string): Uint8Array {
  const bytes = defaultPeerIdToBytes(peer)
  if (bytes === undefined) throw new P2pchatError('INVALID_ARGUMENT', `not a peer id: ${peer}`)
  return bytes
}

/** The entry data for `command`. */
export function encodeGovernanceCommand (command: GovernanceCommand): Uint8Array {
  const head = { by: peerBytes(command.by), issuedAt: Long.fromNumber(command.issuedAt, true) }
  switch (command.type) {
    case 'ban': return schema.GovernanceCommand.encode({ ...head, ban: { peer: peerBytes(command.peer), reason: command.reason } }).finish()
    case 'unban': return schema.GovernanceCommand.encode({ ...head, unban: { peer: peerBytes(command.peer) } }).finish()
    case 'title': return schema.GovernanceCommand.encode({ ...head, title: { text: command.text } }).finish()
    case 'pin': return schema.GovernanceCommand.encode({ ...head, pin: { messageId: hexToBytes(command.messageId) } }).finish()
    case 'unpin': return schema.GovernanceCommand.encode({ ...head, unpin: { messageId: hexToBytes(command.messageId) } }).finish()
    case 'checkpoint': return schema.GovernanceCommand.encode({ ...head, checkpoint: { lamport: Long.fromNumber(command.lamport, true), digest: hexToBytes(command.digest) } }).finish()
  }
}

type U64 = Uint64Field
interface RawCommand {
  by?: Uint8Array
  issuedAt?: U64
  body?: string
  ban?: { peer?: Uint8Array, reason?: string }
  unban?: { peer?: Uint8Array }
  title?: { text?: string }
  pin?: { messageId?: Uint8Array }
  unpin?: { messageId?: Uint8Array }
  checkpoint?: { lamport?: U64, digest?: Uint8Array }
}

class Refused extends Error {}

function integer (value: U64, what: string): number {
  const n = safeUint64(value)
  if (n === undefined) throw new Refused(`${what} is not an integer below 2^53`)
  return n
}

function peer (bytes: Uint8Array | undefined, what: string): string {
  const id = bytes instanceof Uint8Array ? defaultPeerIdFromBytes(bytes) : undefined
  if (id === undefined) throw new Refused(`${what} is not a peer id`)
  return id
}

function messageId (bytes: Uint8Array | undefined): string {
  if (!(bytes instanceof Uint8Array) || bytes.byteLength !== MESSAGE_ID_BYTES) throw new Refused(`a message id must be ${MESSAGE_ID_BYTES} bytes`)
  return bytesToHex(bytes)
}

function text (value: string | undefined, what: string, max: number): string {
  const s = value ?? ''
  if (s.length > Math.min(max, MAX_TEXT_LENGTH)) throw new Refused(`${what} longer than ${max} characters`)
  return s
}

function action (raw: RawCommand): GovernanceAction {
  switch (raw.body) {
    case 'ban': return { type: 'ban', peer: peer(raw.ban?.peer, 'the banned peer'), reason: text(raw.ban?.reason, 'the ban reason', MAX_BAN_REASON_LENGTH) }
    case 'unban': return { type: 'unban', peer: peer(raw.unban?.peer, 'the unbanned peer') }
    case 'title': return { type: 'title', text: text(raw.title?.text, 'the title', MAX_TITLE_LENGTH) }
    case 'pin': return { type: 'pin', messageId: messageId(raw.pin?.messageId) }
    case 'unpin': return { type: 'unpin', messageId: messageId(raw.unpin?.messageId) }
    case 'checkpoint': {
      const digest = raw.checkpoint?.digest
      if (!(digest instanceof Uint8Array) || digest.byteLength !== 32) throw new Refused('a checkpoint digest must be 32 bytes')
      return { type: 'checkpoint', lamport: integer(raw.checkpoint?.lamport, 'the checkpoint lamport'), digest: bytesToHex(digest) }
    }
    default: throw new Refused('a command this build does not know')
  }
}

/** Decodes an entry's data; never throws. */
export function decodeGovernanceCommand (bytes: Uint8Array): { ok: true, command: GovernanceCommand } | { ok: false, detail: string } {
  if (bytes.byteLength > MAX_COMMAND_BYTES) return { ok: false, detail: `a command over ${MAX_COMMAND_BYTES} bytes` }
  try {
    const raw = schema.GovernanceCommand.toObject(decodeStrict(schema.GovernanceCommand, bytes), { oneofs: true }) as RawCommand
    return { ok: true, command: { ...action(raw), by: peer(raw.by, 'the proposer'), issuedAt: integer(raw.issuedAt, 'issued_at') } }
  } catch (err) {
    return { ok: false, detail: err instanceof Refused ? err.message : 'not a governance command (protobuf did not decode)' }
  }
}
