/**
 * Acknowledging in a quiet room. A sender learns that a line arrived only from a later
 * message of someone else that names it (its causal history) or holds it (its bloom
 * filter). When nobody types, no such message comes until the quiet-room sync, ~30 s or
 * more later, and the sender's mark stays `·` or turns `✗` although the line arrived.
 *
 * So a peer that delivers someone else's line owes an acknowledgement: unless a message of
 * ours (a line or a sync) or another receiver's message names it first, we send a sync
 * `delayMs` (jittered down to half) after the first line we owe. Only some peers of a large
 * room take part: each debt is taken with probability min(1, ackers / room size), so a room
 * of any size sends about `ackers` such syncs per quiet moment, not one per peer.
 */
import type { HistoryEntry, MessageId } from './types.js'

/** Settings of quiet-room acknowledgements. */
export interface AckDebtTiming {
  /** Longest wait before the sync that acknowledges (0 = off). */
  delayMs: number
  /** Peers of a room expected to acknowledge each quiet moment. */
  ackers: number
  /** Most owed ids remembered. */
  capacity: number
}

/** Lines of others we owe an acknowledgement for, and when it is due. */
export class AckDebt {
  /** Owed id → its sender. */
  private readonly owed = new Map<MessageId, string>()
  private dueAt = Number.POSITIVE_INFINITY
  private roomSize = 1

  constructor (private readonly timing: AckDebtTiming, private readonly random: () => number) {}

  /** When the acknowledging sync is due (∞ when nothing is owed or we sit this one out). */
  get nextAckAt (): number { return this.dueAt }

  /** Lines owed now. */
  get size (): number { return this.owed.size }

  /** How many peers the room has (ourselves included), as the host knows it. */
  setRoomSize (peers: number): void {
    this.roomSize = Math.max(1, Math.floor(peers))
  }

  /** We delivered `id` from `sender` (another peer) at `now`. */
  delivered (id: MessageId, sender: string, now: number): void {
    if (this.timing.delayMs <= 0) return
    if (this.owed.size === 0) {
      // A new quiet moment: take part with the share that makes about `ackers` peers answer.
      const share = Math.min(1, this.timing.ackers / this.roomSize)
      if (share < 1 && this.random() >= share) return
      this.dueAt = now + this.timing.delayMs * (0.5 + 0.5 * this.random())
    }
    this.owed.set(id, sender)
    if (this.owed.size > this.timing.capacity) this.owed.delete(this.owed.keys().next().value as MessageId)
  }

  /** `from` sent a message naming `history`: what it names (not its own lines) is acknowledged to their senders. */
  heard (from: string, history: readonly HistoryEntry[]): void {
    if (this.owed.size === 0) return
    for (const entry of history) {
      const sender = this.owed.get(entry.messageId)
      if (sender !== undefined && sender !== from) this.owed.delete(entry.messageId)
    }
    if (this.owed.size === 0) this.dueAt = Number.POSITIVE_INFINITY
  }

  /** We sent a line or a sync: its history and bloom filter acknowledge everything owed. */
  paid (): void {
    this.owed.clear()
    this.dueAt = Number.POSITIVE_INFINITY
  }
}
