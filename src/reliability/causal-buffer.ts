/**
 * The incoming buffer: content messages waiting for causal dependencies, with a
 * reverse index from each dependency to its waiters so that delivering (or losing)
 * one id releases exactly the messages it unblocks, without scanning the buffer.
 * Insertion order is arrival order, so the oldest waiter is found in O(1).
 */
import type { MessageId, ReliableMessage } from './types.js'

/** A message held back, and what it still waits for. */
export interface WaitingMessage {
  message: ReliableMessage
  /** Dependencies not yet delivered nor declared lost. */
  waitingOn: Set<MessageId>
  /** Dependencies declared lost (reported as `gapBefore` on delivery). */
  gaps: MessageId[]
  /** Dependencies beyond the late-joiner catch-up bound (not waited on). */
  beyondCatchUp: MessageId[]
  bufferedAt: number
}

/** Waiting messages indexed by id and by the dependencies they wait for. */
export class CausalBuffer {
  private readonly waiting = new Map<MessageId, WaitingMessage>()
  private readonly waiters = new Map<MessageId, MessageId[]>()

  /** Messages waiting. */
  get size (): number {
    return this.waiting.size
  }

  /** True when the message is held here. */
  has (id: MessageId): boolean {
    return this.waiting.has(id)
  }

  /** The held message, if any. */
  get (id: MessageId): WaitingMessage | undefined {
    return this.waiting.get(id)
  }

  /** The longest-waiting message. */
  oldest (): WaitingMessage | undefined {
    return this.waiting.values().next().value
  }

  /** Holds a message until every id in `entry.waitingOn` is satisfied. */
  add (entry: WaitingMessage): void {
    this.waiting.set(entry.message.messageId, entry)
    for (const dep of entry.waitingOn) {
      const list = this.waiters.get(dep)
      if (list === undefined) this.waiters.set(dep, [entry.message.messageId])
      else list.push(entry.message.messageId)
    }
  }

  /** Takes a message out of the buffer regardless of what it waits for. */
  remove (id: MessageId): WaitingMessage | undefined {
    const entry = this.waiting.get(id)
    if (entry !== undefined) this.waiting.delete(id)
    return entry
  }

  /**
   * Marks `dep` as delivered (or lost when `asGap`), and removes and returns the
   * messages that no longer wait for anything.
   */
  satisfy (dep: MessageId, asGap: boolean): WaitingMessage[] {
    const list = this.waiters.get(dep)
    if (list === undefined) return []
    this.waiters.delete(dep)
    const ready: WaitingMessage[] = []
    for (const id of list) {
      const entry = this.waiting.get(id)
      if (entry === undefined || !entry.waitingOn.delete(dep)) continue
      if (asGap) entry.gaps.push(dep)
      if (entry.waitingOn.size === 0) {
        this.waiting.delete(id)
        ready.push(entry)
      }
    }
    return ready
  }
}
