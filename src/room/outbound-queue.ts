/**
 * Payloads written before any peer has subscribed to the topic. gossipsub
 * refuses to publish with no topic peers, so a line typed in the first second
 * would otherwise be lost; it waits here (bounded, oldest dropped first) and is
 * published as soon as a topic peer appears.
 */

/** A bounded FIFO of payloads waiting for topic peers. */
export class OutboundQueue<T> {
  private items: T[] = []
  /** How many were dropped because the queue was full. */
  overflowed = 0

  constructor (private readonly capacity: number) {}

  get size (): number {
    return this.items.length
  }

  /** Adds an item; when full, the oldest is dropped and counted. */
  push (item: T): void {
    this.items.push(item)
    while (this.items.length > this.capacity) {
      this.items.shift()
      this.overflowed++
    }
  }

  /** Removes and returns everything queued, oldest first. */
  takeAll (): T[] {
    const out = this.items
    this.items = []
    return out
  }
}
