/**
 * Time for a partitioned node to reach the full history after the heal, on
 * live nodes: in one cluster, repeatedly cut one node off (connections closed,
 * re-dials refused both ways), let the others send, heal, and time how long
 * the cut node takes to deliver every message it missed.
 */

import { performance } from 'node:perf_hooks'
import { startCluster, stopCluster } from './live-cluster.js'
import { summarize, ms } from './stats.js'

async function until (condition: () => boolean, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (!condition()) {
    if (Date.now() > deadline) return false
    await new Promise(resolve => setTimeout(resolve, 10))
  }
  return true
}

/** Runs `trials` cut/heal cycles on a cluster of `nodes` and returns report lines and figures. */
export async function runPartitionRecovery (nodes = 6, trials = 10, messagesDuringCut = 12): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const sessions = await startCluster(`partition-${process.pid}`, nodes)
  const delivered = sessions.map(() => new Set<string>())
  sessions.forEach((s, i) => { s.addEventListener('message', evt => { delivered[i].add(evt.detail.id) }) })
  const recovery: number[] = []
  let failures = 0
  for (let t = 0; t < trials; t++) {
    const cutIndex = 1 + (t % (nodes - 1)) // never node 0, the others' bootstrap
    const cut = sessions[cutIndex]
    const rest = sessions.filter(s => s !== cut)
    await cut.isolateFrom(rest.map(s => s.peerId))
    for (const s of rest) await s.isolateFrom([cut.peerId])
    await until(() => cut.node.getConnections().length === 0, 5000)
    for (let m = 0; m < messagesDuringCut; m++) await rest[m % rest.length].send(`cut ${t} message ${m}`)
    const target = delivered[0].size
    await until(() => rest.every((_, i) => delivered[sessions.indexOf(rest[i])].size >= target), 10_000)
    const healedAt = performance.now()
    for (const s of sessions) s.heal()
    if (await until(() => delivered[cutIndex].size >= target, 30_000)) {
      recovery.push(performance.now() - healedAt)
    } else {
      failures++
    }
    await until(() => sessions.every(s => s.topicPeerCount() >= Math.min(nodes - 1, 4)), 10_000)
  }
  await stopCluster(sessions)
  const r = summarize(recovery)
  return {
    figures: { recovery: r, failures },
    lines: [
      `partition recovery: ${nodes} live nodes, ${trials} cut/heal cycles, ${messagesDuringCut} messages sent during each cut`,
      `  heal to full history  n=${r.n}  median ${ms(r.median)}  p90 ${ms(r.p90)}  p99 ${ms(r.p99)}  max ${ms(r.max)}  not recovered ${failures}  (target: p99 < 5000 ms)`
    ]
  }
}
