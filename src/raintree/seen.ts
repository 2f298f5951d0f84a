/**
 * The dedup memory: message id → the highest layer this peer has played the message from.
 * Bounded: past its capacity it forgets the id remembered longest ago, in O(1) (a ring of slots
 * beside the map). A copy of a forgotten id looks new again: it is delivered and forwarded a
 * second time, so the capacity should cover the ids that can still be in flight.
 */
export class SeenLayers {
  private readonly layers = new Map<string, number>()
  private readonly ring: string[] = []
  private next = 0
  /** Ids forgotten to make room. */
  evicted = 0

  constructor (readonly capacity: number) {}

  /** Number of ids remembered. */
  get size (): number {
    return this.layers.size
  }

  /** The highest layer remembered for `id`, or undefined when it is not remembered. */
  layerOf (id: string): number | undefined {
    return this.layers.get(id)
  }

  /** Remembers `id` at `layer` (raising it when already remembered), forgetting the oldest id beyond capacity. */
  set (id: string, layer: number): void {
    if (this.layers.has(id)) {
      this.layers.set(id, layer)
      return
    }
    const slot = this.next++ % this.capacity
    if (this.next > this.capacity) {
      this.layers.delete(this.ring[slot])
      this.evicted++
    }
    this.ring[slot] = id
    this.layers.set(id, layer)
  }
}
