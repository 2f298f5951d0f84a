/**
 * The key layout of p2pchat's records in the shared datastore. Everything of ours is
 * under `/p2pchat/`, so libp2p's own keys (`/peers/…` of the peer store, `/dht/…` or
 * `/p2pchat-dht/…` of the DHT, `/pkcs8/…` of a keychain) never collide. Scans always
 * use the prefix WITH its trailing slash: `/p2pchat` alone would also match
 * `/p2pchat-dht/`.
 *
 *   /p2pchat/meta                            JSON { format, createdAt }
 *   /p2pchat/profile                         JSON { nick }
 *   /p2pchat/r/<room>/state                  JSON room state (Lamport high-water mark, resend counts)
 *   /p2pchat/r/<room>/m/<lamport><id>        a delivered content message (StoredMessage protobuf)
 *   /p2pchat/r/<room>/i/<id>                 index: the message's <lamport>
 *   /p2pchat/r/<room>/u/<id>                 own message not known to be acknowledged: its <lamport>
 *   /p2pchat/r/<room>/c/…                    the room committee's Raft state (committee-store.ts)
 *   /p2pchat/d/state                         JSON direct-message core state (direct-store.ts)
 *   /p2pchat/d/ignored                       JSON list of ignored peer ids
 *   /p2pchat/d/m/<peer>/<lamport><id>        a direct message with <peer> (JSON), <lamport> its
 *                                            arrival time (own: send time) as 14 hex digits
 *
 * <room> is the base64url of the channel id (topic), <lamport> 14 lowercase hex digits
 * (every safe integer fits), <id> the 32-hex message id. Message keys therefore sort in
 * canonical order (Lamport, then id), so "the newest N" and "older than T" are range scans.
 */
import type { MessageId } from '../reliability/index.js'

/** Root of every p2pchat key. */
export const ROOT = '/p2pchat/'
/** Store format record. */
export const META_KEY = '/p2pchat/meta'
/** Profile record (nick). */
export const PROFILE_KEY = '/p2pchat/profile'

const LAMPORT_DIGITS = 14
const ID_LENGTH = 32

/** Fixed-width hex of a Lamport value (a non-negative safe integer). */
export function lamportHex (lamport: number): string {
  return Math.max(0, Math.floor(lamport)).toString(16).padStart(LAMPORT_DIGITS, '0')
}

/** The keys of one room. */
export class RoomKeys {
  /** `/p2pchat/r/<room>/` */
  readonly prefix: string
  /** Prefix of message records. */
  readonly messages: string
  /** Prefix of the id index. */
  readonly index: string
  /** Prefix of unacknowledged-own markers. */
  readonly unacked: string
  /** The room state record. */
  readonly state: string

  constructor (readonly room: string) {
    this.prefix = `${ROOT}r/${Buffer.from(room, 'utf8').toString('base64url')}/`
    this.messages = `${this.prefix}m/`
    this.index = `${this.prefix}i/`
    this.unacked = `${this.prefix}u/`
    this.state = `${this.prefix}state`
  }

  /** Key of a message record. */
  message (lamport: number, id: MessageId): string {
    return this.messages + lamportHex(lamport) + id
  }

  /** Key of a message record from the `<lamport>` an index entry holds. */
  messageAt (hex: string, id: MessageId): string {
    return this.messages + hex + id
  }

  /** First message key with a Lamport value of at least `lamport`. */
  messagesFrom (lamport: number): string {
    return this.messages + lamportHex(lamport)
  }

  /** Index key of an id. */
  indexOf (id: MessageId): string {
    return this.index + id
  }

  /** Unacked marker key of an id. */
  unackedOf (id: MessageId): string {
    return this.unacked + id
  }

  /** Splits a message key into its Lamport hex, Lamport value and id. */
  parseMessageKey (key: string): { hex: string, lamport: number, id: MessageId } | undefined {
    const rest = key.slice(this.messages.length)
    if (!key.startsWith(this.messages) || rest.length !== LAMPORT_DIGITS + ID_LENGTH || !/^[0-9a-f]+$/.test(rest)) return undefined
    const hex = rest.slice(0, LAMPORT_DIGITS)
    return { hex, lamport: parseInt(hex, 16), id: rest.slice(LAMPORT_DIGITS) }
  }

  /** The id of an index or unacked-marker key. */
  idOf (key: string, prefix: string): MessageId | undefined {
    const id = key.slice(prefix.length)
    return key.startsWith(prefix) && /^[0-9a-f]{32}$/.test(id) ? id : undefined
  }
}

/** Whether a `<lamport>` value read back is well-formed. */
export function isLamportHex (value: string): boolean {
  return value.length === LAMPORT_DIGITS && /^[0-9a-f]+$/.test(value)
}
