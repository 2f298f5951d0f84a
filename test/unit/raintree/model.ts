/**
 * The tree as pure index math, for the property tests: the originator at `origin` plays rounds
 * top … 0, every member forwards what it gets (with the core's dedup: a copy at a higher layer than
 * already played makes it play the rounds in between), nobody fails. Copies are taken in the
 * order `pick` chooses from the queue (first in, first out by default).
 */
import { firstRound, roundTargets, topLayer } from '../../../src/raintree/index.js'

export interface ModelRun {
  /** Copies received by each index (the originator's copies included). */
  copies: Uint32Array
  sends: number
  /** Longest chain of hops to a member's first copy. */
  depth: number
}

export function runModel (size: number, origin: number, pick: (queueLength: number) => number = () => 0): ModelRun {
  const played = new Int32Array(size).fill(-1)
  const copies = new Uint32Array(size)
  const firstDepth = new Int32Array(size).fill(-1)
  const queue: Array<[index: number, layer: number, hops: number]> = []
  let sends = 0
  const play = (index: number, from: number, to: number, hops: number): void => {
    for (let layer = from; layer >= to; layer--) {
      const { first, second } = roundTargets(size, index, layer)
      for (const target of [first, second]) {
        if (target === undefined) continue
        sends++
        queue.push([target, layer, hops + 1])
      }
    }
  }
  const top = topLayer(size)
  played[origin] = top + 1
  firstDepth[origin] = 0
  play(origin, firstRound(size, 'originator'), 0, 0)
  let head = 0
  while (head < queue.length) {
    const at = head + pick(queue.length - head)
    const [index, layer, hops] = queue[at]
    queue[at] = queue[head]
    head++
    copies[index]++
    if (firstDepth[index] < 0) firstDepth[index] = hops
    if (layer > played[index]) {
      const before = Math.max(played[index], 0)
      played[index] = layer
      play(index, firstRound(size, layer), before, hops)
    }
  }
  let depth = 0
  for (const d of firstDepth) depth = Math.max(depth, d)
  return { copies, sends, depth }
}
