/**
 * Crash to "left", live (issue 15: a peer that crashes leaves every roster within p99 5 s at up
 * to 100 peers): real nodes in worker processes on loopback, presence with its defaults
 * (announcements and SWIM probing on). Each trial picks a victim (seeded, a different one each
 * time), waits until every roster lists every live node (bounded), then crashes the victim like a
 * kill -9: every cluster peer is refused, every TCP socket under its connections is reset, and no
 * leave record, unsubscribe or yamux GoAway goes out. Every survivor's roster is then read every
 * ~100 ms (bounded) until it no longer lists the victim; the time from the reset to that read is
 * the figure. Victims are not restarted: trial k runs with nodes − k + 1 live peers.
 */

import { benchCluster, CHAT } from './live-support.js'
import { summarize } from './stats.js'
import { nowEpoch, sleep } from '../src/sim/clock.js'
import { fmtMs } from '../src/sim/format.js'
import type { Topology } from '../src/sim/config.js'
import type { LiveCluster } from '../src/sim/live-cluster.js'
import type { RosterView } from '../src/sim/live-types.js'
import { createRandom } from '../src/shared/index.js'

/** Options of the benchmark. */
export interface CrashToLeftOptions {
  /** Live nodes at the first trial. @default 100 */
  nodes?: number
  /** Worker processes hosting them. @default 4 */
  workers?: number
  /** Crashes, one victim each. @default 5 */
  trials?: number
  /** How the nodes find each other. @default random:6 */
  topology?: Topology
  /** Longest wait for the network to form (ms). @default 60 s + 2 s per node */
  formationTimeoutMs?: number
  /** Quiet time after the network formed (ms). @default 10000 */
  warmupMs?: number
  /** Longest wait for full rosters before a crash (ms). @default 60000 */
  rosterWaitMs?: number
  /** Roster reads after a crash, every this many ms. @default 100 */
  pollMs?: number
  /** Longest watch after a crash (ms). @default 60000 */
  limitMs?: number
  /** Pause after a trial, before the next waits for full rosters (ms). @default 10000 */
  pauseMs?: number
  /** Picks the victims. @default 1 */
  seed?: number
  /** A kill -9 (true) or, as a control, a clean stop that says goodbye (false). @default true */
  abrupt?: boolean
}

/** What one trial measured. */
interface Trial {
  victim: number
  /** Live nodes when it crashed (the victim included). */
  live: number
  /** Time until every roster listed every live node (ms); undefined if that did not happen in time. */
  fullRostersMs?: number
  /** Survivors whose roster did not list the victim when it crashed (left out of the figures). */
  unlistedBefore: number
  /** Survivor ms from the reset to the first read without the victim. */
  times: number[]
  /** Survivors still listing the victim at the end of the watch. */
  neverDropped: number
  /** Survivors that had buried the victim as a leave when they dropped it (a leave reached them: should be 0). */
  leaveTombstones: number
  /** Survivors listing the victim again after the pause. */
  relisted: number
}

/** Every hosted node's roster view of `peerId`. */
async function views (cluster: LiveCluster, peerId: string): Promise<RosterView[]> {
  return (await Promise.all(cluster.hosts.map(async h => await h.rosterHas(peerId)))).flat()
}

/** `count` distinct nodes in 1..nodes-1 (node 0 bootstrapped the network), drawn from `seed`. */
function pickVictims (nodes: number, count: number, seed: number): number[] {
  const random = createRandom(seed ^ 0xc4a5)
  const pool = Array.from({ length: nodes - 1 }, (_, i) => i + 1)
  const out: number[] = []
  while (out.length < Math.min(count, pool.length)) out.push(pool.splice(Math.floor(random() * pool.length), 1)[0])
  return out
}

/** Runs the benchmark. */
export async function runCrashToLeft (options: CrashToLeftOptions = {}): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const nodes = options.nodes ?? 100
  const workers = options.workers ?? 4
  const trials = options.trials ?? 5
  const topology = options.topology ?? { kind: 'random', degree: 6 }
  const rosterWaitMs = options.rosterWaitMs ?? 60_000
  const pollMs = options.pollMs ?? 100
  const limitMs = options.limitMs ?? 60_000
  const pauseMs = options.pauseMs ?? 10_000
  const abrupt = options.abrupt ?? true
  const cluster = await benchCluster(nodes, { workers, gossip: CHAT, topology, warmupMs: options.warmupMs ?? 10_000, raw: false, formationTimeoutMs: options.formationTimeoutMs ?? 60_000 + nodes * 2_000 })
  const done: Trial[] = []
  try {
    const alive = new Set(Array.from({ length: nodes }, (_, i) => i))
    for (const victim of pickVictims(nodes, trials, options.seed ?? 1)) {
      const peerId = cluster.peers[victim]
      // Full rosters: every live node lists every other one (bounded).
      const waitStart = performance.now()
      let before: RosterView[] = []
      let fullRostersMs: number | undefined
      while (performance.now() - waitStart < rosterWaitMs) {
        before = await views(cluster, peerId)
        const full = before.length === alive.size && before.every(v => v.others === alive.size - 1 && (v.node === victim || v.listed))
        if (full) { fullRostersMs = performance.now() - waitStart; break }
        await sleep(500)
      }
      const listedBefore = new Set(before.filter(v => v.node !== victim && v.listed).map(v => v.node))
      const crashedAt = await cluster.hostOf(victim).crash(victim, abrupt)
      alive.delete(victim)
      // Watch every survivor's roster until none lists the victim (bounded).
      const dropped = new Map<number, { ms: number, leave: boolean }>()
      while (nowEpoch() - crashedAt < limitMs && dropped.size < listedBefore.size) {
        const pollStart = performance.now()
        for (const v of await views(cluster, peerId)) {
          if (!listedBefore.has(v.node) || v.listed || dropped.has(v.node)) continue
          dropped.set(v.node, { ms: v.at - crashedAt, leave: v.leaveTombstone })
        }
        await sleep(pollMs - (performance.now() - pollStart))
      }
      await sleep(pauseMs)
      const relisted = (await views(cluster, peerId)).filter(v => v.listed).length
      const times = [...dropped.values()].map(d => d.ms)
      done.push({
        victim,
        live: alive.size + 1,
        ...(fullRostersMs !== undefined ? { fullRostersMs } : {}),
        unlistedBefore: alive.size - listedBefore.size,
        times,
        neverDropped: listedBefore.size - dropped.size,
        leaveTombstones: [...dropped.values()].filter(d => d.leave).length,
        relisted
      })
    }
  } finally {
    await cluster.stop()
  }
  const all = summarize(done.flatMap(t => t.times))
  const sum = (f: (t: Trial) => number): number => done.reduce((a, t) => a + f(t), 0)
  const topo = topology.kind === 'random' ? `random:${topology.degree}` : 'rendezvous (the chat\'s)'
  return {
    figures: { nodes, workers, abrupt, topology: topo, setupMs: cluster.setupMs, formation: cluster.formation, all, trials: done.map(t => ({ ...t, summary: summarize(t.times), times: undefined })) },
    lines: [
      `live ${nodes} nodes in ${workers} worker processes, topology ${topo}, presence defaults (probing on): ${abrupt ? 'a kill -9-like crash (sockets reset, no leave)' : 'a clean stop (leave record; control)'} to gone from every roster, ${done.length} trials`,
      ...done.map((t, k) => {
        const s = summarize(t.times)
        const full = t.fullRostersMs !== undefined ? `full rosters after ${fmtMs(t.fullRostersMs)}` : `rosters NOT full after ${fmtMs(rosterWaitMs)}`
        const extra = [t.unlistedBefore > 0 ? `${t.unlistedBefore} did not list it before` : '', t.leaveTombstones > 0 ? `${t.leaveTombstones} saw a leave` : '', t.relisted > 0 ? `${t.relisted} list it again` : ''].filter(x => x !== '')
        return `  trial ${k + 1}: victim n${t.victim} of ${t.live} live (${full}); ${t.times.length} survivors dropped it: p50 ${fmtMs(s.median)}  p99 ${fmtMs(s.p99)}  max ${fmtMs(s.max)}; never ${t.neverDropped}${extra.length > 0 ? '; ' + extra.join(', ') : ''}`
      }),
      `  all ${sum(t => t.times.length + t.neverDropped)} survivor rosters: p50 ${fmtMs(all.median)}  p90 ${fmtMs(all.p90)}  p99 ${fmtMs(all.p99)}  max ${fmtMs(all.max)}; never dropped within ${fmtMs(limitMs)}: ${sum(t => t.neverDropped)}  (target p99 <= 5 s)`,
      `  checks: saw a leave ${sum(t => t.leaveTombstones)}${abrupt ? ' (must be 0)' : ''}, listed again after ${fmtMs(pauseMs)}: ${sum(t => t.relisted)}, did not list the victim before: ${sum(t => t.unlistedBefore)}; rosters read every ${pollMs} ms (figures late by up to that); setup ${fmtMs(cluster.setupMs)}${cluster.formation.length > 0 ? '; ' + cluster.formation.join('; ') : ''}`
    ]
  }
}
