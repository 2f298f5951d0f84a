/**
 * A private room's sealing, between the room driver and the reliability core: the core holds and
 * sends sealed content (so its message ids cover the ciphertext, and a peer without the key can
 * check, store and serve them), and the driver opens a message where it reads it. Content is
 * sealed with the room's content key, presence records and decisions (ephemeral bodies) with its
 * presence key. Pure: the nonce source is injected.
 */
import { NONCE_BYTES, open, seal, type RoomSecrets } from '../private/index.js'
import { equals } from 'uint8arrays/equals'
import { KIND_CODES, type MessageKind, type ReliableMessage } from '../reliability/index.js'

/** Nonces remembered to refuse a replayed one (the oldest are forgotten). */
const NONCES_KEPT = 65_536

/**
 * Plaintexts kept by message id, so a message is opened once although the validator, the core's
 * intake and the line each read it (an id covers the sealed bytes, so it names one plaintext).
 */
const OPENED_KEPT = 1_024

/** Why a sealed message did not open. */
export type UnsealReason = 'not-member' | 'replayed-nonce'

/** Seals and opens one private room's messages. */
export class RoomSealer {
  /** Nonce (hex) → the id of the message that used it. */
  private readonly nonces = new Map<string, string>()
  /** Message id → its sealed bytes and plaintext, of the last messages opened. */
  private readonly plaintexts = new Map<string, { sealed: Uint8Array, plain: Uint8Array }>()

  constructor (
    private readonly secrets: RoomSecrets,
    private readonly random: (bytes: number) => Uint8Array
  ) {}

  /** The sealed content of our own message of `kind` at `lamport` on `channel`. */
  seal (plain: Uint8Array, kind: MessageKind, channel: string, sender: string, lamport: number): Uint8Array {
    return seal(this.keyOf(kind), plain, { channel, sender, lamport, kind: KIND_CODES[kind] }, this.random)
  }

  /**
   * The plaintext of a message (a sync message has none to open), or why it has none: it does
   * not open with our key, or it reuses the nonce of another message.
   */
  open (msg: ReliableMessage): { ok: true, plain: Uint8Array } | { ok: false, reason: UnsealReason } {
    if (msg.kind === 'sync') return { ok: true, plain: msg.content }
    const plain = open(this.keyOf(msg.kind), msg.content, { channel: msg.channelId, sender: msg.senderId, lamport: msg.lamport, kind: KIND_CODES[msg.kind] })
    if (plain === undefined) return { ok: false, reason: 'not-member' }
    const nonce = Buffer.from(msg.content.subarray(0, NONCE_BYTES)).toString('hex')
    const seenWith = this.nonces.get(nonce)
    if (seenWith !== undefined && seenWith !== msg.messageId) return { ok: false, reason: 'replayed-nonce' }
    if (seenWith === undefined) {
      this.nonces.set(nonce, msg.messageId)
      if (this.nonces.size > NONCES_KEPT) this.nonces.delete(this.nonces.keys().next().value as string)
    }
    return { ok: true, plain }
  }

  /** `msg` with its content opened, or undefined when it does not open. */
  opened (msg: ReliableMessage): ReliableMessage | undefined {
    if (msg.kind === 'sync') return msg
    // Taken from the cache only for the same sealed bytes: an id is not trusted before it is checked.
    const kept = this.plaintexts.get(msg.messageId)
    let plain = kept !== undefined && equals(kept.sealed, msg.content) ? kept.plain : undefined
    if (plain === undefined) {
      const result = this.open(msg)
      if (!result.ok) return undefined
      plain = result.plain
      this.plaintexts.set(msg.messageId, { sealed: msg.content, plain })
      if (this.plaintexts.size > OPENED_KEPT) this.plaintexts.delete(this.plaintexts.keys().next().value as string)
    }
    return { ...msg, content: plain }
  }

  private keyOf (kind: MessageKind): Uint8Array {
    return kind === 'content' ? this.secrets.contentKey : this.secrets.presenceKey
  }
}
