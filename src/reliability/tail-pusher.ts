/**
 * The quiet tail of a conversation. A later message naming one of ours in its causal
 * history tells everyone it reaches that ours exists, so a copy of ours lost there is
 * pulled. The newest own message has no such later message: peers that lost its
 * broadcast learn of it only from the next sync, up to `syncIntervalMs` later, even
 * when bloom filters acknowledged it (an acknowledgement says some peers hold it, not
 * that all do). So an own content message that no later message names is pushed again
 * `tailPushMs` after it was sent, then after twice that, up to `maxTailPushes` times,
 * and forgotten as soon as a later message (ours or a peer's) names it.
 */
import { jittered } from '../shared/index.js'
import type { HistoryEntry, MessageId, ReliableMessage } from './types.js'

/** Settings of the tail push. */
export interface TailTiming { baseMs: number, maxPushes: number, jitter: number }

interface TailEntry { message: ReliableMessage, pushes: number, dueAt: number }

/** Own messages no later message names yet, with their push schedule. */
export class TailPusher {
  private readonly tail = new Map<MessageId, TailEntry>()
  private earliest = Number.POSITIVE_INFINITY

  constructor (private readonly timing: TailTiming, private readonly random: () => number) {}

  /** Own messages still waiting to be named. */
  get size (): number { return this.tail.size }

  /** The earliest push that may be due (a lower bound; ∞ when none). */
  get nextPushAt (): number { return this.earliest }

  /** An own content message went out: what its history names is announced by it; it is the new tail. */
  sent (message: ReliableMessage, now: number): void {
    this.named(message.causalHistory)
    if (this.timing.maxPushes <= 0) return
    const dueAt = now + jittered(this.timing.baseMs, this.timing.jitter, this.random)
    this.tail.set(message.messageId, { message, pushes: 0, dueAt })
    this.earliest = Math.min(this.earliest, dueAt)
  }

  /** A message (a peer's, or a sync) named these ids: each named own message is announced. */
  named (history: readonly HistoryEntry[]): void {
    if (this.tail.size === 0) return
    for (const entry of history) this.tail.delete(entry.messageId)
  }

  /** Stops pushing a message (nobody acknowledged it: nobody is listening). */
  forget (id: MessageId): void {
    this.tail.delete(id)
  }

  /**
   * The own messages to push again at `now`. `heldBack` says whether another schedule still
   * pushes a message (an unacknowledged one is resent anyway): its tail push then waits one
   * more interval without counting.
   */
  takeDue (now: number, heldBack: (id: MessageId) => boolean): ReliableMessage[] {
    if (now < this.earliest) return []
    const due: ReliableMessage[] = []
    let earliest = Number.POSITIVE_INFINITY
    for (const [id, entry] of this.tail) {
      if (entry.dueAt <= now) {
        if (!heldBack(id)) {
          due.push(entry.message)
          entry.pushes++
        }
        if (entry.pushes >= this.timing.maxPushes) {
          this.tail.delete(id)
          continue
        }
        entry.dueAt = now + jittered(this.timing.baseMs * 2 ** entry.pushes, this.timing.jitter, this.random)
      }
      earliest = Math.min(earliest, entry.dueAt)
    }
    this.earliest = earliest
    return due
  }
}
