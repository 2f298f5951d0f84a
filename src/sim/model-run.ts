/**
 * Model mode with reliability on: the real `ReliableChannel` of every
 * participant over the seeded in-memory `ModelNetwork` (latency = base + jitter
 * per copy, duplication, reordering, partitions, crash/restart, late joins), in
 * virtual time. Injected loss, like duplication and reordering, applies to every
 * copy the network carries while sending: broadcasts, pull requests and their
 * answers (a lost pull or answer fails after the pull timeout, as a live one does).
 * Deliveries are the channels' `in:delivered` events.
 */

import { encodeChatContent } from '../wire/index.js'
import type { ReliableMessage } from '../reliability/index.js'
import type { ChannelEvent } from '../reliability/index.js'
import type { SimConfig } from './config.js'
import { DeliveryLedger } from './ledger.js'
import type { RunMeasurement } from './measurement.js'
import { ModelNetwork } from './model-network.js'
import type { RunPlan } from './plan.js'
import type { ProgressSink } from './progress.js'
import { createWireSizer } from './wire-size.js'

/**
 * Largest model room whose nodes announce presence. The model broadcasts each presence record
 * to every node, N² copies per round, so bigger rooms run without presence (and say so).
 */
export const MODEL_PRESENCE_MAX_NODES = 1000

/** The channel (topic) of model runs: the same length as a real room's topic. */
export const MODEL_CHANNEL = 'p2pchat/sim'
/** Virtual time before the first send, so every channel has ticked once. */
const START_MS = 1000
/** How often convergence is checked (virtual ms). */
const CHECK_EVERY_MS = 250

/** Runs model mode with the reliability core. */
export function runModel (config: SimConfig, plan: RunPlan, progress?: ProgressSink): RunMeasurement {
  const wallStart = performance.now()
  const cpuStart = process.cpuUsage()
  const ids = Array.from({ length: plan.nodes }, (_, i) => `n${i}`)
  const indexOf = new Map(ids.map((id, i) => [id, i]))
  const ledger = new DeliveryLedger(plan.nodes, plan.sends.length, plan.joinAt)
  /** The plan index of the message being sent right now: its own delivery comes out during `net.send`. */
  let sending: { index: number, from: string } | undefined
  const idIndex = new Map<string, number>()
  const sizer = createWireSizer(MODEL_CHANNEL)
  const messageOverhead: number[] = []
  let retiredDuplicates = 0

  const indexOfMessage = (msg: ReliableMessage): number | undefined => {
    const known = idIndex.get(msg.messageId)
    if (known !== undefined) return known
    if (sending === undefined || msg.senderId !== sending.from) return undefined
    idIndex.set(msg.messageId, sending.index)
    return sending.index
  }
  const toIndices = (ids: string[] | undefined): number[] => {
    const out: number[] = []
    for (const id of ids ?? []) { const i = idIndex.get(id); if (i !== undefined) out.push(i) }
    return out
  }
  const onEvent = (node: string, event: ChannelEvent, now: number): void => {
    if (event.type !== 'in:delivered' || event.message.kind !== 'content') return
    const index = indexOfMessage(event.message)
    if (index === undefined) return
    const excused = event.gapBefore === undefined && event.beyondCatchUp === undefined
      ? undefined
      : toIndices([...(event.gapBefore ?? []), ...(event.beyondCatchUp ?? [])])
    ledger.delivered(indexOf.get(node) as number, index, now - START_MS, excused)
  }

  const initial = ids.filter((_, i) => plan.joinAt[i] === 0)
  const net = new ModelNetwork({
    seed: config.seed,
    nodes: initial,
    channelId: MODEL_CHANNEL,
    latencyMs: config.latencyMs,
    jitterMs: config.jitterMs,
    dropRate: config.loss,
    duplicateRate: config.dup,
    reorderRate: config.reorder,
    recordDeliveries: false,
    participant: 'driver',
    presence: config.presence !== 'off' && initial.length + plan.joinAt.filter(at => at > 0).length <= MODEL_PRESENCE_MAX_NODES,
    channelOptions: config.channel,
    sizer,
    onEvent,
    // RainTree runs the same pure core as the live path; the flat broadcast stands in for gossipsub.
    ...(config.paths === 'gossipsub' ? {} : { raintree: { alsoFlat: config.paths === 'raintree+gossipsub', nonForwarding: config.nonForwarding, core: {} } })
  })
  const alive = (i: number): boolean => {
    try { return net.node(ids[i]).alive } catch { return false }
  }

  for (const send of plan.sends) {
    net.at(START_MS + send.at, () => {
      const sender = alive(send.sender) ? send.sender : 0
      const content = encodeChatContent({ nick: ids[sender], text: send.text, action: false })
      sending = { index: send.index, from: ids[sender] }
      const msg = net.send(ids[sender], content)
      sending = undefined
      idIndex.set(msg.messageId, send.index)
      ledger.sent(send.index, sender, send.at, toIndices(msg.causalHistory.map(h => h.messageId)))
      messageOverhead.push(sizer.message(msg) - content.byteLength)
    })
  }
  plan.joinAt.forEach((at, i) => {
    if (at > 0) net.at(START_MS + at, () => { net.join(ids[i]); ledger.started(i, at) })
  })
  for (const crash of plan.crashes) {
    net.at(START_MS + crash.at, () => {
      retiredDuplicates += net.node(ids[crash.node]).participant.duplicates()
      net.crash(ids[crash.node])
      ledger.stopped(crash.node)
    })
    net.at(START_MS + crash.restartAt, () => { net.restart(ids[crash.node]); ledger.started(crash.node, crash.restartAt) })
  }
  for (const p of plan.partitions) {
    net.at(START_MS + p.start, () => { net.partition([p.groupA.map(i => ids[i])]) })
    net.at(START_MS + p.end, () => { net.heal() })
  }
  if (config.loss > 0) net.at(START_MS + plan.lossEnd + 1, () => { net.setFaultRates({ dropRate: 0 }) })

  const lastEvent = Math.max(plan.sendEnd, ...plan.partitions.map(p => p.end), ...plan.crashes.map(c => c.restartAt))
  const deadline = START_MS + lastEvent + config.timeoutMs
  let converged = false
  let state = ledger.progress()
  while (net.now < deadline) {
    net.runUntil(Math.min(deadline, net.now + CHECK_EVERY_MS))
    state = ledger.progress()
    const elapsed = performance.now() - wallStart
    const done = net.now - START_MS
    progress?.update(state.delivered, state.expected, elapsed, done > 0 ? elapsed * Math.max(0, lastEvent - done) / done : undefined)
    if (net.now >= START_MS + lastEvent && state.delivered === state.expected) { converged = true; break }
  }
  const cpu = process.cpuUsage(cpuStart)
  const memory = process.memoryUsage()
  const duplicates = retiredDuplicates + net.all().reduce((sum, n) => sum + n.participant.duplicates(), 0)
  const m = net.metrics
  const wallMs = performance.now() - wallStart
  return {
    config,
    plan,
    ledger,
    endAt: net.now - START_MS,
    converged,
    wallMs,
    setupMs: 0,
    measuredWallMs: wallMs,
    processes: 1,
    traffic: {
      wireBytes: m.bytes.content + m.bytes.sync + m.bytes.ephemeral + m.bytes.pullRequests + m.bytes.pullAnswers,
      payloadBytes: m.bytes.payload,
      breakdown: { content: m.bytes.content, sync: m.bytes.sync, pullRequests: m.bytes.pullRequests, pullAnswers: m.bytes.pullAnswers },
      scope: 'encoded ChatMessage of every copy sent (wire codec, 38-byte peer ids) plus repair frames; no gossipsub envelope or transport framing'
    },
    messageOverhead,
    duplicatesReceived: { core: duplicates },
    pulls: m.pullRequests,
    resends: m.resends,
    cpuMs: { user: cpu.user / 1000, system: cpu.system / 1000 },
    memory: { rss: memory.rss, heapUsed: memory.heapUsed },
    // Notes are part of the seeded result: nothing measured on this machine goes here (run.wallMs and resources hold that).
    notes: [
      `virtual time ${((net.now - START_MS) / 1000).toFixed(1)} s simulated`,
      `each node runs the room driver (pull slots, queue and holder order, sync-on-join${net.options.presence ? ', presence' : ''})`,
      ...(net.options.presence ? [] : [config.presence === 'off' ? 'presence not announced (off)' : `presence not announced: more than ${MODEL_PRESENCE_MAX_NODES.toLocaleString('en')} nodes`])
    ]
  }
}
