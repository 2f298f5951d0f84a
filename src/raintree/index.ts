/**
 * RainTree (issue 17; Pocket Network's broadcast tree), pure: the sorted view, the target
 * selection, and one peer's broadcast core (`broadcast`, `receive`, `ack`, `tick`, `ready`).
 * No timers, sockets or clock inside. Layers above enter here.
 */

/** One peer's RainTree state machine, in the etcd-io/raft shape. */
export { RainTreeCore } from './core.js'
/** A peer's view: the members sorted by SHA-256 of their ids, and its own index; `ringKey` is the sort key. */
export { RainTreeView, ringKey } from './view.js'
/** The pure index math: top layer, run lengths, a round's two targets, the adjustment target. */
export { firstRound, MAX_VIEW_SIZE, ownedRun, replacementIndex, rollOver, roundTargets, runLength, topLayer, type RoundTargets } from './targets.js'
/** The core's options, their named defaults, and their validation (`INVALID_OPTION`). */
export { DEFAULT_RAINTREE_OPTIONS, resolveRainTreeOptions, type RainTreeOptions } from './options.js'
/** The sends, ACKs, counters and `ready()` batch. */
export type { RainTreeAck, RainTreeCounters, RainTreeReady, RainTreeSend, SendFlags } from './types.js'
