/**
 * End-to-end latency at 10 live nodes, reliable versus raw gossipsub, side by
 * side in one run on the same nodes: each round one random node sends a line
 * through the reliable room and, right after, the same bytes raw on a second
 * gossipsub topic. Latency is measured from the send call to the delivery
 * event on every other node (one process, one clock).
 */

import { performance } from 'node:perf_hooks'
import { startCluster, stopCluster } from './live-cluster.js'
import { summarize, ms } from './stats.js'

/** Runs the comparison and returns report lines and figures. */
export async function runLiveLatency (nodes = 10, rounds = 100, intervalMs = 30): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const sessions = await startCluster(`latency-${process.pid}`, nodes)
  const rawTopic = `raw-latency-${process.pid}`
  const sentAt = new Map<string, number>()
  const reliable: number[] = []
  const raw: number[] = []
  for (const s of sessions) {
    s.addEventListener('message', evt => {
      if (evt.detail.own) return
      const t0 = sentAt.get(evt.detail.text)
      if (t0 !== undefined) reliable.push(performance.now() - t0)
    })
    const pubsub = s.node.services.pubsub
    pubsub.subscribe(rawTopic)
    pubsub.addEventListener('message', evt => {
      if (evt.detail.topic !== rawTopic) return
      const t0 = sentAt.get(new TextDecoder().decode(evt.detail.data))
      if (t0 !== undefined) raw.push(performance.now() - t0)
    })
  }
  const deadline = Date.now() + 20_000
  while (!sessions.every(s => s.node.services.pubsub.getSubscribers(rawTopic).length >= Math.min(nodes - 1, 4)) && Date.now() < deadline) {
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  await new Promise(resolve => setTimeout(resolve, 2000))

  let seed = 7
  const next = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
  for (let i = 0; i < rounds; i++) {
    const sender = sessions[Math.floor(next() * nodes)]
    const rText = `reliable-${i}`
    const wText = `raw-${i}`
    // Alternate which goes first so neither mode always pays for the other's CPU.
    const order = i % 2 === 0 ? ['r', 'w'] : ['w', 'r']
    for (const mode of order) {
      if (mode === 'r') {
        sentAt.set(rText, performance.now())
        await sender.send(rText)
      } else {
        sentAt.set(wText, performance.now())
        await sender.node.services.pubsub.publish(rawTopic, new TextEncoder().encode(wText))
      }
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs))
  }
  await new Promise(resolve => setTimeout(resolve, 3000))
  await stopCluster(sessions)

  const expected = rounds * (nodes - 1)
  const r = summarize(reliable)
  const w = summarize(raw)
  return {
    figures: { reliable: r, raw: w, expected, ratio: r.median / w.median },
    lines: [
      `live latency: ${nodes} nodes in one process, ${rounds} lines per mode, one every ${intervalMs} ms, same nodes, interleaved`,
      `  reliable  delivered ${reliable.length}/${expected}  median ${ms(r.median)}  p90 ${ms(r.p90)}  p99 ${ms(r.p99)}`,
      `  raw       delivered ${raw.length}/${expected}  median ${ms(w.median)}  p90 ${ms(w.p90)}  p99 ${ms(w.p99)}`,
      `  reliable/raw median ratio ${(r.median / w.median).toFixed(2)}  (target: <= 1.10)`
    ]
  }
}
