/**
 * Model mode without reliability (`--no-reliability`): plain broadcast of the
 * chat content with the same faults (latency + jitter, loss, duplication,
 * reordering, partitions, crashes, late joins) and no dedup, ordering or repair.
 * Whatever arrives goes straight to the "UI", so duplicates and causal-order
 * violations show. A message's causal dependencies are the last 10 messages its
 * sender had shown when it sent it (what the core would have named).
 */

import { encodeChatContent } from '../wire/index.js'
import { MinHeap } from '../shared/index.js'
import { createRandom } from '../shared/index.js'
import { DEFAULT_CHANNEL_OPTIONS } from '../reliability/index.js'
import type { SimConfig } from './config.js'
import { LinkFaults } from './faults.js'
import { DeliveryLedger } from './ledger.js'
import type { RunMeasurement } from './measurement.js'
import type { RunPlan } from './plan.js'
import type { ProgressSink } from './progress.js'

interface Arrival { at: number, seq: number, node: number, incarnation: number, index: number }
interface Action { at: number, seq: number, run: () => void }
type Event = Arrival | Action

/** Runs model mode as plain broadcast. */
export function runRawModel (config: SimConfig, plan: RunPlan, progress?: ProgressSink): RunMeasurement {
  const wallStart = performance.now()
  const cpuStart = process.cpuUsage()
  const random = createRandom(config.seed)
  const lossRandom = createRandom(config.seed ^ 0x10557)
  const faults = new LinkFaults({ latencyMs: config.latencyMs, jitterMs: config.jitterMs, dropRate: 0, reorderRate: config.reorder, reorderDelayMs: 200 }, random)
  const ledger = new DeliveryLedger(plan.nodes, plan.sends.length, plan.joinAt)
  const queue = new MinHeap<Event>((a, b) => a.at - b.at || a.seq - b.seq)
  const up = plan.joinAt.map(at => at === 0)
  const incarnation = new Array<number>(plan.nodes).fill(0)
  const recent = Array.from({ length: plan.nodes }, () => [] as number[])
  const ids = Array.from({ length: plan.nodes }, (_, i) => `n${i}`)
  const historyLength = DEFAULT_CHANNEL_OPTIONS.historyLength
  let seq = 0
  let lossActive = config.loss > 0
  let copies = 0
  let wireBytes = 0
  let received = new Uint8Array(0)
  let duplicates = 0

  const show = (node: number, index: number, at: number): void => {
    ledger.delivered(node, index, at)
    const r = recent[node]
    r.push(index)
    if (r.length > historyLength) r.shift()
  }
  const action = (at: number, run: () => void): void => { queue.push({ at, seq: seq++, run }) }

  const sizes = plan.sends.map(s => encodeChatContent({ nick: ids[s.sender], text: s.text, action: false }).byteLength)
  received = new Uint8Array(plan.nodes * plan.sends.length)
  for (const send of plan.sends) {
    action(send.at, () => {
      const sender = up[send.sender] ? send.sender : 0
      ledger.sent(send.index, sender, send.at, [...recent[sender]])
      show(sender, send.index, send.at)
      for (let node = 0; node < plan.nodes; node++) {
        if (node === sender || !up[node] || !faults.connected(ids[sender], ids[node])) continue
        copies++
        wireBytes += sizes[send.index]
        if (lossActive && lossRandom() < config.loss) continue
        queue.push({ at: send.at + faults.delay(), seq: seq++, node, incarnation: incarnation[node], index: send.index })
        if (config.dup > 0 && random() < config.dup) queue.push({ at: send.at + faults.delay(), seq: seq++, node, incarnation: incarnation[node], index: send.index })
      }
    })
  }
  plan.joinAt.forEach((at, i) => { if (at > 0) action(at, () => { up[i] = true; ledger.started(i, at) }) })
  for (const crash of plan.crashes) {
    action(crash.at, () => { up[crash.node] = false; incarnation[crash.node]++; recent[crash.node] = []; ledger.stopped(crash.node) })
    action(crash.restartAt, () => { up[crash.node] = true; ledger.started(crash.node, crash.restartAt) })
  }
  for (const p of plan.partitions) {
    action(p.start, () => { faults.partition([p.groupA.map(i => ids[i])]) })
    action(p.end, () => { faults.heal() })
  }
  if (lossActive) action(plan.lossEnd + 1, () => { lossActive = false })

  const lastEvent = Math.max(plan.sendEnd, ...plan.partitions.map(p => p.end), ...plan.crashes.map(c => c.restartAt))
  let now = 0
  let processed = 0
  for (;;) {
    const event = queue.pop()
    if (event === undefined) break
    now = event.at
    if ('run' in event) {
      event.run()
    } else if (up[event.node] && incarnation[event.node] === event.incarnation) {
      const slot = event.node * plan.sends.length + event.index
      if (received[slot] === 1) duplicates++
      received[slot] = 1
      show(event.node, event.index, event.at)
    }
    if (++processed % 200_000 === 0) {
      const state = ledger.progress()
      const elapsed = performance.now() - wallStart
      progress?.update(state.delivered, state.expected, elapsed, now > 0 ? elapsed * Math.max(0, lastEvent - now) / now : undefined)
    }
  }
  const cpu = process.cpuUsage(cpuStart)
  const memory = process.memoryUsage()
  const wallMs = performance.now() - wallStart
  const payloadBytes = wireBytes
  return {
    config,
    plan,
    ledger,
    endAt: Math.max(now, lastEvent),
    converged: ledger.progress().delivered === ledger.progress().expected,
    wallMs,
    setupMs: 0,
    measuredWallMs: wallMs,
    processes: 1,
    traffic: { wireBytes, payloadBytes, breakdown: { content: wireBytes }, scope: 'encoded chat content of every copy sent (plain broadcast: no protocol fields); no gossipsub envelope or transport framing' },
    messageOverhead: plan.sends.map(() => 0),
    duplicatesReceived: { network: duplicates },
    pulls: 0,
    resends: 0,
    cpuMs: { user: cpu.user / 1000, system: cpu.system / 1000 },
    memory: { rss: memory.rss, heapUsed: memory.heapUsed },
    notes: [`plain broadcast: ${copies.toLocaleString('en')} copies, no dedup, ordering or repair`]
  }
}
