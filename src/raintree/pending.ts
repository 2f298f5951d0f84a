/**
 * Sends awaiting their ACK, by deadline. One entry per (message, target): an ACK names only the
 * message and its sender. Bounded: at capacity the entry with the earliest deadline is dropped
 * without an adjustment (counted). Acknowledged entries are forgotten lazily, and the heap is
 * rebuilt when they come to fill half of it, so the bound is on live entries in practice.
 */
import { MinHeap } from '../shared/index.js'

/** One send awaiting its ACK. */
export interface PendingAck {
  readonly messageId: string
  readonly to: string
  /** The layer the target was sent; raised if the same target is sent the message again at a higher one. */
  layer: number
  readonly deadline: number
  readonly seq: number
}

const keyOf = (messageId: string, peer: string): string => `${messageId}\n${peer}`
const byDeadline = (a: PendingAck, b: PendingAck): number => a.deadline - b.deadline || a.seq - b.seq

/** The ACK deadlines of one peer's sends. */
export class PendingAcks {
  private readonly live = new Map<string, PendingAck>()
  private heap = new MinHeap<PendingAck>(byDeadline)
  private seq = 0
  /** Live entries dropped at capacity (their targets get no adjustment). */
  evicted = 0

  constructor (readonly capacity: number) {}

  /** Number of sends still awaiting their ACK. */
  get size (): number {
    return this.live.size
  }

  /** Starts waiting for `to`'s ACK of `messageId` until `deadline`. */
  add (messageId: string, to: string, layer: number, deadline: number): void {
    const key = keyOf(messageId, to)
    const existing = this.live.get(key)
    if (existing !== undefined) {
      existing.layer = Math.max(existing.layer, layer)
      return
    }
    if (this.heap.size >= this.capacity) {
      if (this.live.size <= this.capacity / 2) this.compact()
      while (this.heap.size >= this.capacity) {
        const oldest = this.heap.pop() as PendingAck
        if (this.live.get(keyOf(oldest.messageId, oldest.to)) === oldest) {
          this.live.delete(keyOf(oldest.messageId, oldest.to))
          this.evicted++
        }
      }
    }
    const entry: PendingAck = { messageId, to, layer, deadline, seq: this.seq++ }
    this.live.set(key, entry)
    this.heap.push(entry)
  }

  /** Records `from`'s ACK of `messageId`; false when nothing was awaited from it. */
  ack (messageId: string, from: string): boolean {
    return this.live.delete(keyOf(messageId, from))
  }

  /** Removes and returns the unacknowledged entries whose deadline is ≤ now, earliest first. */
  expire (now: number): PendingAck[] {
    const out: PendingAck[] = []
    for (let top = this.heap.peek(); top !== undefined && top.deadline <= now; top = this.heap.peek()) {
      this.heap.pop()
      const key = keyOf(top.messageId, top.to)
      if (this.live.get(key) === top) {
        this.live.delete(key)
        out.push(top)
      }
    }
    return out
  }

  /** The earliest deadline still awaited, or undefined. */
  nextDeadline (): number | undefined {
    for (let top = this.heap.peek(); top !== undefined; top = this.heap.peek()) {
      if (this.live.get(keyOf(top.messageId, top.to)) === top) return top.deadline
      this.heap.pop()
    }
    return undefined
  }

  private compact (): void {
    const heap = new MinHeap<PendingAck>(byDeadline)
    for (const entry of this.live.values()) heap.push(entry)
    this.heap = heap
  }
}
