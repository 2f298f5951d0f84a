/**
 * The bounded store of delivered content messages, own and received, kept in
 * canonical order. It answers `history()` and `answerPull()`. Inserting at the end is
 * O(1) (the common case); eviction of the canonically oldest is amortised O(1).
 * Bounds: `maxMessages` messages and `maxBytes` content bytes (one message always fits).
 */
import { compareCanonical } from './order.js'
import type { MessageId, ReliableMessage } from './types.js'

/** Delivered content messages in canonical order, bounded by count and bytes. */
export class MessageStore {
  private sorted: ReliableMessage[] = []
  private head = 0
  private readonly byId = new Map<MessageId, ReliableMessage>()
  private bytes = 0

  constructor (readonly maxMessages: number, readonly maxBytes: number) {}

  /** Messages held. */
  get size (): number {
    return this.byId.size
  }

  /** True when the store holds the id. */
  has (id: MessageId): boolean {
    return this.byId.has(id)
  }

  /** The stored message, if held. */
  get (id: MessageId): ReliableMessage | undefined {
    return this.byId.get(id)
  }

  /** Inserts a delivered message at its canonical position, then evicts down to the bounds. */
  add (message: ReliableMessage): void {
    if (this.byId.has(message.messageId)) return
    this.byId.set(message.messageId, message)
    this.bytes += message.content.length
    const last = this.sorted[this.sorted.length - 1]
    if (this.sorted.length === this.head || compareCanonical(last, message) < 0) {
      this.sorted.push(message)
    } else {
      this.sorted.splice(this.insertionIndex(message), 0, message)
    }
    this.evict()
  }

  /** The last `limit` messages (all when undefined) in canonical order. */
  last (limit?: number): ReliableMessage[] {
    const count = this.sorted.length - this.head
    const take = limit === undefined ? count : Math.max(0, Math.min(count, Math.floor(limit)))
    return this.sorted.slice(this.sorted.length - take)
  }

  private insertionIndex (message: ReliableMessage): number {
    let low = this.head
    let high = this.sorted.length
    while (low < high) {
      const mid = (low + high) >>> 1
      if (compareCanonical(this.sorted[mid], message) < 0) low = mid + 1
      else high = mid
    }
    return low
  }

  private evict (): void {
    while (this.byId.size > this.maxMessages || (this.bytes > this.maxBytes && this.byId.size > 1)) {
      const oldest = this.sorted[this.head]
      this.head++
      this.byId.delete(oldest.messageId)
      this.bytes -= oldest.content.length
    }
    if (this.head > 64 && this.head * 2 > this.sorted.length) {
      this.sorted = this.sorted.slice(this.head)
      this.head = 0
    }
  }
}
