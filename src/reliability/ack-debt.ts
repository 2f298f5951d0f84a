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
  /** Owed id → its sender and when we delivered it, oldest first. */
  private readonly owed = new Map<MessageId, { sender: string, at: number }>()
  private dueAt = Number.POSITIVE_INFINITY
  /** This quiet moment's delay (drawn when it began). */
  private delay = 0
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
      this.delay = this.timing.delayMs * (0.5 + 0.5 * this.random())
      this.dueAt = now + this.delay
    }
    this.owed.set(id, { sender, at: now })
    if (this.owed.size > this.timing.capacity) {
      this.owed.delete(this.owed.keys().next().value as MessageId)
      this.reschedule()
    }
  }

  /**
   * Whether we take part in answering something the whole room hears (a sync showing its sender
   * is behind): true with probability min(1, ackers / room size), so about `ackers` peers answer.
   */
  takesPart (): boolean {
    const share = Math.min(1, this.timing.ackers / this.roomSize)
    return share >= 1 || this.random() < share
  }

  /** `from` sent a message naming `history`: what it names (not its own lines) is acknowledged to their senders. */
  heard (from: string, history: readonly HistoryEntry[]): void {
    if (this.owed.size === 0) return
    let removed = false
    for (const entry of history) {
      const owed = this.owed.get(entry.messageId)
      if (owed !== undefined && owed.sender !== from) removed = this.owed.delete(entry.messageId)
    }
    if (removed) this.reschedule()
  }

  /**
   * The sync is due `delay` after the oldest line still owed arrived: in a busy room the others'
   * lines name each new one within moments, so the debt never grows old and nothing is sent.
   */
  private reschedule (): void {
    const oldest = this.owed.values().next().value
    this.dueAt = oldest === undefined ? Number.POSITIVE_INFINITY : oldest.at + this.delay
  }

  /** We sent a line or a sync: its history and bloom filter acknowledge everything owed. */
  paid (): void {
    this.owed.clear()
    this.dueAt = Number.POSITIVE_INFINITY
  }
}
