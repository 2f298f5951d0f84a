/**
 * RainTree against the spec's table (issue 17; pocket-network-protocol p2p/README.md §3.5): N pure
 * cores wired by an in-memory loop (no network, no timers), one broadcast each, counting sends,
 * ACKs, copies received per member and the depth, beside the table's comms, ACKs and ticks. Then
 * sizes between the powers of three (where duplicates appear), the redundancy layer, and 5 %
 * silent members with the ACK timeouts and adjustments.
 *
 * Two depths: hops (every send of a batch leaves at once; the longest chain of copies to a
 * member's first copy) and ticks (each member sends one copy a tick, in the order the core lists
 * them; our reading of the table's unit, which grows by 2 when N triples; the table's extra 5 are
 * not explained in the spec).
 */

import { RainTreeCore, RainTreeView, type RainTreeOptions } from '../src/raintree/index.js'
import { MinHeap } from '../src/shared/index.js'

/** The spec's table: nodes → comms (sends), ACKs, ticks. */
const SPEC: Record<number, { sends: number, acks: number, ticks: number }> = {
  27: { sends: 107, acks: 56, ticks: 11 },
  81: { sends: 323, acks: 164, ticks: 13 },
  243: { sends: 971, acks: 488, ticks: 15 },
  729: { sends: 2_915, acks: 1_460, ticks: 17 },
  2_187: { sends: 8_747, acks: 4_376, ticks: 19 },
  59_049: { sends: 236_195, acks: 118_100, ticks: 25 }
}

/** Run 59,049 too only when the sizes below it took less than this in all (it needs about 30 times their time). */
const LARGE_BUDGET_MS = 2_000

interface Outcome {
  N: number
  sends: number
  acks: number
  adjustments: number
  redundancySends: number
  /** Copies received per member other than the originator, every kind. */
  copiesPerMember: number
  maxCopies: number
  /** Live members (not the originator) that got the message, as a fraction of them. */
  coverage: number
  hops: number
  ticks: number
  ms: number
}

interface Copy { at: number, hops: number, from: number, to: number, messageId: string, layer: number, adjustment: boolean, redundancy: boolean, ack: boolean, seq: number }

/** One broadcast from member `origin` through N cores; `silent` members take and send nothing; then ticks at the ACK timeouts until no ACK is awaited. */
function simulate (N: number, options: Partial<RainTreeOptions>, silent: ReadonlySet<number> = new Set(), origin = 0): Outcome {
  const started = performance.now()
  const ids = Array.from({ length: N }, (_, i) => `peer-${i}`)
  const shared = RainTreeView.of(ids[0], ids)
  const cores = shared.ids.map(id => new RainTreeCore(shared.withSelf(id), options))
  const copies = new Uint32Array(N)
  const firstHops = new Int32Array(N).fill(-1)
  const firstTick = new Int32Array(N).fill(-1)
  const uplinkFree = new Float64Array(N)
  const queue = new MinHeap<Copy>((a, b) => a.at - b.at || a.seq - b.seq)
  let seq = 0
  let sends = 0
  let acks = 0
  const collect = (index: number, at: number, hops: number): void => {
    const ready = cores[index].ready()
    for (const s of ready.sends) {
      sends++
      const start = Math.max(at, uplinkFree[index])
      uplinkFree[index] = start + 1
      queue.push({ at: start + 1, hops: hops + 1, from: index, to: shared.indexOf(s.to) as number, messageId: s.messageId, layer: s.layer, adjustment: s.adjustment, redundancy: s.redundancy, ack: false, seq: seq++ })
    }
    // ACKs ride along at the same pace; they do not hold up copies.
    for (const a of ready.acks) {
      acks++
      queue.push({ at: at + 1, hops, from: index, to: shared.indexOf(a.to) as number, messageId: a.messageId, layer: 0, adjustment: false, redundancy: false, ack: true, seq: seq++ })
    }
  }
  const drain = (now: number): void => {
    for (let c = queue.pop(); c !== undefined; c = queue.pop()) {
      if (silent.has(c.to)) continue
      const core = cores[c.to]
      if (c.ack) {
        core.ack(c.messageId, shared.ids[c.from], now)
      } else {
        copies[c.to]++
        if (firstHops[c.to] < 0) { firstHops[c.to] = c.hops; firstTick[c.to] = c.at }
        core.receive(c.messageId, shared.ids[c.from], c.layer, now, c)
      }
      collect(c.to, c.at, c.hops)
    }
  }
  cores[origin].broadcast('m', 0)
  collect(origin, 0, 0)
  drain(0)
  // Time moves only for the ACK timeouts: tick everyone at each timeout until nothing awaits an ACK
  // (a replacement's own targets time out one timeout later). Ticks and hops then no longer mean much.
  const timeout = options.ackTimeoutMs ?? 500
  for (let round = 1; round <= 64 && cores.some(core => core.awaitingAcks > 0); round++) {
    for (let i = 0; i < N; i++) {
      if (silent.has(i)) continue
      cores[i].tick(round * timeout)
      collect(i, 0, Math.max(firstHops[i], 0))
    }
    drain(round * timeout)
  }
  let adjustments = 0
  let redundancySends = 0
  for (const core of cores) {
    const c = core.snapshotCounters()
    adjustments += c.adjustments
    redundancySends += c.redundancySends
  }
  let received = 0
  let maxCopies = 0
  let reached = 0
  let live = 0
  let hops = 0
  let ticks = 0
  for (let i = 0; i < N; i++) {
    if (i === origin || silent.has(i)) continue
    live++
    received += copies[i]
    maxCopies = Math.max(maxCopies, copies[i])
    if (copies[i] > 0) reached++
    hops = Math.max(hops, firstHops[i])
    ticks = Math.max(ticks, firstTick[i])
  }
  return { N, sends: sends - adjustments - redundancySends, acks, adjustments, redundancySends, copiesPerMember: live === 0 ? 0 : received / live, maxCopies, coverage: live === 0 ? 1 : reached / live, hops, ticks, ms: performance.now() - started }
}

/** Members to silence: `fraction` of them, spread by a fixed LCG, never the originator (0). */
function pickSilent (N: number, fraction: number, seed = 17): Set<number> {
  const out = new Set<number>()
  let state = seed
  while (out.size < Math.round(N * fraction)) {
    state = (state * 1_103_515_245 + 12_345) % 2 ** 31
    const i = state % N
    if (i !== 0) out.add(i)
  }
  return out
}

const num = (x: number): string => x.toLocaleString('en-US')
const pct = (x: number): string => `${(x * 100).toFixed(1)}%`
const ratio = (ours: number, spec: number): string => `${num(ours)} (${num(spec)}, ${(ours / spec).toFixed(2)}×)`

/** Runs the comparison and returns report lines and figures. */
export async function runRainTreeSpec (): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const powers: Outcome[] = []
  for (const N of [27, 81, 243, 729, 2_187]) powers.push(simulate(N, {}))
  const spent = powers.reduce((sum, o) => sum + o.ms, 0)
  if (spent < LARGE_BUDGET_MS) powers.push(simulate(59_049, {}))
  const between = [28, 40, 100, 976, 1_000, 2_000, 5_000].map(N => simulate(N, {}))
  const redundancy = [27, 243, 2_187].map(N => simulate(N, { redundancyLayer: true }))
  const faulty = [243, 729, 2_187].map(N => {
    const silent = pickSilent(N, 0.05)
    return { silent: silent.size, plain: simulate(N, {}, silent), redundancy: simulate(N, { redundancyLayer: true }, silent) }
  })
  const row = (o: Outcome): string => `  ${num(o.N).padStart(6)}  ${num(o.sends).padStart(7)}  ${num(o.acks).padStart(7)}  ${o.copiesPerMember.toFixed(2).padStart(6)} / ${String(o.maxCopies).padEnd(2)}  ${String(o.hops).padStart(4)}  ${String(o.ticks).padStart(5)}  ${o.ms.toFixed(0).padStart(6)}`
  return {
    figures: { powers, between, redundancy, faulty, spec: SPEC },
    lines: [
      'raintree vs the spec (pure cores, in-memory loop): one broadcast, nobody failing; the spec\'s figure and our/spec in brackets',
      '       N  sends (spec, ours/spec)        ACKs (spec, ours/spec)        copies/member  hops  ticks (spec)',
      ...powers.map(o => `  ${num(o.N).padStart(6)}  ${ratio(o.sends, SPEC[o.N].sends).padEnd(29)} ${ratio(o.acks, SPEC[o.N].acks).padEnd(29)} ${o.copiesPerMember.toFixed(2).padStart(13)}  ${String(o.hops).padStart(4)}  ${o.ticks} (${SPEC[o.N].ticks})`),
      ...(powers.length === 5 ? [`  (59,049 skipped: the sizes above took ${spent.toFixed(0)} ms, over the ${LARGE_BUDGET_MS} ms budget)`] : []),
      '',
      'between the powers of three (duplicates from overlapping runs; exactly once only at 3^k, 2·3^k, 4·3^k)',
      '       N    sends     ACKs  copies / max  hops  ticks      ms',
      ...between.map(row),
      '',
      'redundancy layer on (originator also sends every other member a copy at layer 0, not ACKed)',
      '       N    sends     ACKs  copies / max  hops  ticks      ms',
      ...redundancy.map(o => `${row(o)}   + ${num(o.redundancySends)} redundancy sends`),
      '',
      '5 % silent members, ticks at the ACK timeouts (at most one adjustment per silent target): live members reached',
      '       N  silent  plain: reached  adjustments   sends  | redundancy on: reached   sends',
      ...faulty.map(f => `  ${num(f.plain.N).padStart(6)}  ${String(f.silent).padStart(6)}  ${pct(f.plain.coverage).padStart(14)}  ${String(f.plain.adjustments).padStart(11)}  ${num(f.plain.sends + f.plain.adjustments).padStart(6)}  | ${pct(f.redundancy.coverage).padStart(22)}  ${num(f.redundancy.sends + f.redundancy.adjustments + f.redundancy.redundancySends).padStart(6)}`)
    ]
  }
}
