/**
 * A generic binary min-heap. Used to release buffered messages in canonical order
 * and, by the simulator, as its timed event queue.
 */

/** A binary heap ordered by `compare` (smallest first). */
export class MinHeap<T> {
  private readonly items: T[] = []

  constructor (private readonly compare: (a: T, b: T) => number) {}

  /** Number of items. */
  get size (): number {
    return this.items.length
  }

  /** The smallest item, without removing it. */
  peek (): T | undefined {
    return this.items[0]
  }

  /** Adds an item in O(log n). */
  push (item: T): void {
    const items = this.items
    items.push(item)
    let i = items.length - 1
    while (i > 0) {
      const parent = (i - 1) >>> 1
      if (this.compare(items[i], items[parent]) >= 0) break
      const swap = items[i]
      items[i] = items[parent]
      items[parent] = swap
      i = parent
    }
  }

  /** Removes and returns the smallest item in O(log n). */
  pop (): T | undefined {
    const items = this.items
    if (items.length === 0) return undefined
    const top = items[0]
    const last = items.pop() as T
    if (items.length > 0) {
      items[0] = last
      let i = 0
      for (;;) {
        const left = 2 * i + 1
        const right = left + 1
        let smallest = i
        if (left < items.length && this.compare(items[left], items[smallest]) < 0) smallest = left
        if (right < items.length && this.compare(items[right], items[smallest]) < 0) smallest = right
        if (smallest === i) break
        const swap = items[i]
        items[i] = items[smallest]
        items[smallest] = swap
        i = smallest
      }
    }
    return top
  }
}
