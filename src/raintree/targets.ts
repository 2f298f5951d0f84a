/**
 * RainTree's target selection: pure index math on the view, a ring of `size` members sorted by
 * the hash of their ids, self included. No state, no clock.
 *
 * Words. A *round* L is one step of the procedure: a node splits the run of the list it answers
 * for into thirds, keeps the first third, and sends the message, tagged with layer L, to the
 * first member of each of the other two. A node that receives a message tagged L answers for the
 * `ownedRun(size, L)` members starting at itself and plays rounds L − 1 … 0 on them (the
 * "demotion"). The originator answers for the whole list and plays rounds top … 0.
 *
 * The formulas (integers; offsets are from the node's own index, rolled over the end of the list):
 *
 *     top(N)      = round(log3 N)          (0 for N ≤ 1), exactly: the k with 3^(2k−1) ≤ N² < 3^(2k+1)
 *     run(N, L)   = ⌈N / 3^(top − L)⌉      the run split in round L; run(N, top) = N
 *     third(N, L) = ⌈run(N, L) / 3⌉        the run each target of round L answers for;
 *                                          = run(N, L − 1) for L ≥ 1, and 1 for L = 0
 *     round L sends to offsets third and 2·third, each only when it is < run(N, L)
 *
 * Against the spec. Its text gives targetListSize = (topLayer − currentLayer) × 0.666 × N (and the
 * issue's summary topLayer + currentLayer); read literally, neither shrinks from the top down (the
 * first is 0 at the top layer). Its reference simulator (pokt-network/rain-tree-sim) splits
 * ⌈N · (2/3)^(top − L)⌉ at layer L, targets at 1/3 and 2/3 of it, top rounded up, rounds down to
 * layer 0 included, and with its redundancy layer on every member sends two more copies at the
 * bottom. Shrinking by 2/3 a layer, the three sub-runs (one's own and the two targets') add up to
 * twice the parent's run, and dedup absorbs the overlap; its sample output (288 sends for 81
 * members) is of the table's order, 4·N − 1 sends and 2·N + 2 ACKs, which we take to count such
 * copies. We shrink by 1/3 a layer, so the three sub-runs tile the parent's run: N − 1 sends and
 * N − 1 ACKs a broadcast when N is a power of 3, each member reached once.
 *
 * Round 0. With top = round(log3 N) (the spec's formula; its pseudo-code and simulator round up),
 * 3^top is below N for N in (3^top, 3^(top + ½)) (N = 28: 27), and rounds top … 1 alone can reach
 * at most 3^top members. run(N, 0) = ⌈N / 3^top⌉ ≤ 2, because N < 3^(top + ½) < 2 · 3^top, so
 * round 0 sends at most one message, to the neighbour at offset 1, and only when N > 3^top. The
 * depth is therefore ⌈log3 N⌉ hops or one more, as if top were rounded up.
 *
 * Duplicates. A target of round L answers for third(N, L) members nominally, but the last third
 * of a run holds run − 2·third of them, up to 2 fewer: its subtree overshoots into the next run,
 * whose members then get a second copy. A receiver knows only the layer, not where its parent's
 * run ends, and with the layer alone on the wire duplicates cannot always be avoided: when the
 * targets depend only on N and the layer, the copies land on a sum set of 2^i·3^j offsets, which
 * cannot hit every residue mod N exactly once unless N is such a number.
 * Measured, with every member forwarding and dedup, for N = 1 … 2,000: exactly once at N = 3^k,
 * 2·3^k and 4·3^k; 1.18 copies a member on average; at worst 1.48 (N = 976), and 3 for a single
 * member. Carrying the run's length on the wire instead of the layer would make it exactly once
 * for every N at the same depth.
 *
 * Coverage (every member at least once, whatever the order of arrival, when nobody fails): a node
 * playing rounds L … 0 reaches its run [p, p + run(N, L)), by induction on L: it keeps
 * [p, p + third), its targets answer for [p + third, p + 2·third) and [p + 2·third, p + 3·third),
 * and 3·third ≥ run. The originator plays rounds top … 0 on run(N, top) = N.
 */

/** A round's two targets (indices into the view, rolled over), each present only when it lies inside the run. */
export interface RoundTargets {
  /** The index at offset `third` from the sender, or undefined when `third` ≥ the run. */
  readonly first: number | undefined
  /** The index at offset 2·`third`, or undefined when 2·`third` ≥ the run. */
  readonly second: number | undefined
  /** The run split in this round: run(N, L). */
  readonly run: number
  /** The run each target answers for, and the sender keeps for the next round: third(N, L). */
  readonly third: number
}

/** Largest view size the index math accepts (3^top stays an exact double far beyond it). */
export const MAX_VIEW_SIZE = 2 ** 31

function requireSize (size: number): void {
  if (!Number.isSafeInteger(size) || size < 1 || size > MAX_VIEW_SIZE) throw new RangeError(`view size must be an integer in [1, ${MAX_VIEW_SIZE}], got ${size}`)
}

/** The last size asked and its top layer: the cores ask for the same view size over and over. */
let cachedSize = 1
let cachedTop = 0

/** top(N) = round(log3 N), computed in integers: the k with 3^(2k−1) ≤ N² < 3^(2k+1); 0 for N = 1. */
export function topLayer (size: number): number {
  if (size === cachedSize) return cachedTop
  requireSize(size)
  const square = BigInt(size) * BigInt(size)
  let k = 0
  while (square >= 3n ** BigInt(2 * k + 1)) k++
  cachedSize = size
  cachedTop = k
  return k
}

/** run(N, L) = ⌈N / 3^(top − L)⌉: the run split in round L, for 0 ≤ L ≤ top. */
export function runLength (size: number, layer: number): number {
  const top = topLayer(size)
  if (!Number.isSafeInteger(layer) || layer < 0 || layer > top) throw new RangeError(`layer must be an integer in [0, ${top}] for a view of ${size}, got ${layer}`)
  return Math.ceil(size / 3 ** (top - layer))
}

/** third(N, L) = ⌈run(N, L) / 3⌉: the run a member sent the message at layer L answers for (1 at layer 0). */
export function ownedRun (size: number, layer: number): number {
  return Math.ceil(runLength(size, layer) / 3)
}

/** i mod N, into [0, N), for any integer i. */
export function rollOver (index: number, size: number): number {
  return ((index % size) + size) % size
}

/** Round L's targets for the member at `position`: offsets third and 2·third, rolled over the end of the list. */
export function roundTargets (size: number, position: number, layer: number): RoundTargets {
  const run = runLength(size, layer)
  const third = Math.ceil(run / 3)
  return {
    first: third < run ? rollOver(position + third, size) : undefined,
    second: 2 * third < run ? rollOver(position + 2 * third, size) : undefined,
    run,
    third
  }
}

/**
 * The highest round a node plays (it then plays every round down to 0): top for the originator,
 * L − 1 for a member sent layer L (−1: none). A layer above top (a sender with a larger view) is
 * taken as top.
 */
export function firstRound (size: number, layer: number | 'originator'): number {
  const top = topLayer(size)
  return layer === 'originator' ? top : Math.min(layer, top) - 1
}

/**
 * The adjustment for a target that did not ACK: its successor in the list (index + 1), sent the
 * same layer, so it answers for the silent target's run shifted by one: the whole run but the
 * silent member, plus one member of the next run (which then gets a second copy). The
 * predecessor (index − 1) would answer for a run ending one short of the silent one's, leaving
 * its last member unreached. Undefined when the silent target answered only for itself
 * (third = 1): its successor belongs to the next run and gets the message anyway.
 */
export function replacementIndex (size: number, targetIndex: number, layer: number): number | undefined {
  if (ownedRun(size, layer) <= 1) return undefined
  return rollOver(targetIndex + 1, size)
}
