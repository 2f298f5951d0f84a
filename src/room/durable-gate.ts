/**
 * The write-before-publish rule: an own message is not published (and so never shows
 * as sent) until its durable write finished. Messages the core wants out meanwhile are
 * held back, in order, and released when their writes are done.
 */
import type { ReliableMessage } from '../reliability/index.js'

/** Own messages whose durable write has not finished, and what waits for them. */
export class DurableGate {
  private readonly unwritten = new Set<string>()
  private heldBack: ReliableMessage[] = []
  /** Own messages whose write failed: we never publish them (the user was told they were not sent). */
  private readonly abandoned = new Set<string>()

  /** An own message's write started. */
  writing (id: string): void {
    this.unwritten.add(id)
  }

  /** True when `msg` may be published now; otherwise it is held back until its write (and every earlier one held) finishes. */
  admit (msg: ReliableMessage): boolean {
    if (this.abandoned.has(msg.messageId)) return false
    if (!this.unwritten.has(msg.messageId) && this.heldBack.length === 0) return true
    this.heldBack.push(msg)
    return false
  }

  /**
   * A write finished: returns the held-back messages that may now go out, in order. A later
   * message whose write finished first still waits for the earlier ones, so our lines never
   * reach a peer out of the order we sent them.
   */
  written (id: string): ReliableMessage[] {
    this.unwritten.delete(id)
    const blocked = this.heldBack.findIndex(m => this.unwritten.has(m.messageId))
    const ready = blocked < 0 ? this.heldBack : this.heldBack.slice(0, blocked)
    this.heldBack = blocked < 0 ? [] : this.heldBack.slice(blocked)
    return ready
  }

  /** A write failed: that message is never published; what waited behind it goes out, in order. */
  failed (id: string): ReliableMessage[] {
    this.abandoned.add(id)
    this.heldBack = this.heldBack.filter(m => m.messageId !== id)
    return this.written(id)
  }
}
