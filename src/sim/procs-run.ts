/**
 * `--procs N`: N real `p2pchat --topic <t> --json` processes on this machine,
 * each with its own data directory and an isolated well-known local port
 * (`P2PCHAT_LOCAL_PORT`), finding each other exactly as terminals do. Messages
 * are written to a process's stdin; deliveries are its NDJSON `message` events
 * (their `ts` is the receiving process's clock, the same machine's). Churn kills
 * a process (SIGKILL) and starts it again with the same data directory. CPU,
 * memory and socket bytes come from /proc; pulls and duplicates from `/status`.
 */

import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { randomBytes } from 'node:crypto'
import { encodeChatContent } from '../wire/index.js'
import { ChatProcess, type ChatEvent } from './chat-process.js'
import { nowEpoch, sleep } from './clock.js'
import type { SimConfig } from './config.js'
import { DeliveryLedger } from './ledger.js'
import type { RunMeasurement } from './measurement.js'
import { messageIndex, type RunPlan } from './plan.js'
import { bytesWritten, processUsage } from './proc-io.js'
import { freePort } from './free-port.js'
import type { ProgressSink } from './progress.js'


interface Usage { cpu: number, wchar: number, stdout: number }

/** Runs `--procs`. */
export async function runProcs (config: SimConfig, plan: RunPlan, progress?: ProgressSink): Promise<RunMeasurement> {
  const wallStart = performance.now()
  const topic = config.topic !== '' ? config.topic : `sim-${process.pid}-${randomBytes(4).toString('hex')}`
  const root = await mkdtemp(join(tmpdir(), 'p2pchat-sim-'))
  const port = await freePort()
  const ledger = new DeliveryLedger(plan.nodes, plan.sends.length, plan.joinAt)
  const procs: Array<ChatProcess | undefined> = new Array(plan.nodes).fill(undefined)
  const retired: Usage[] = []
  const base = new Map<ChatProcess, Usage>()
  const outOfOrder = { count: 0 }
  const ids = new Map<string, number>()
  let t0 = Number.POSITIVE_INFINITY
  let measuring = false

  const usage = (p: ChatProcess): Usage => {
    const u = p.pid === undefined ? undefined : processUsage(p.pid)
    return { cpu: u === undefined ? 0 : u.cpuMs.user + u.cpuMs.system, wchar: (p.pid === undefined ? undefined : bytesWritten(p.pid)) ?? 0, stdout: p.stdoutBytes }
  }
  const start = (node: number): ChatProcess => {
    const env: Record<string, string> = {
      P2PCHAT_LOCAL_PORT: String(port),
      P2PCHAT_NICK: `n${node}`,
      P2PCHAT_DATA_DIR: join(root, `n${node}`),
      XDG_DATA_HOME: join(root, `n${node}`, 'xdg')
    }
    const tuning = Object.entries(config.channel).map(([k, v]) => `${k}=${String(v)}`).join(',')
    if (tuning !== '') env.P2PCHAT_RELIABILITY = tuning
    const p = new ChatProcess(topic, env)
    p.onEvent(event => { onEvent(node, event) })
    procs[node] = p
    if (measuring) base.set(p, { cpu: 0, wchar: 0, stdout: 0 })
    return p
  }
  const onEvent = (node: number, event: ChatEvent): void => {
    if (event.type !== 'message' || typeof event.text !== 'string' || event.history === true) return
    const index = messageIndex(event.text)
    if (index === undefined) return
    if (event.own === true && typeof event.id === 'string') ids.set(event.id, index)
    if (event.outOfOrder === true) outOfOrder.count++
    const at = typeof event.ts === 'number' ? event.ts : nowEpoch()
    const gaps = Array.isArray(event.gapBefore) ? event.gapBefore.map(id => ids.get(String(id))).filter((i): i is number => i !== undefined) : undefined
    ledger.delivered(node, index, at - t0, gaps)
  }

  const notes: string[] = ['causal order is not checked with --procs: the CLI does not print causal histories (outOfOrder flags are counted instead)']
  try {
    start(0)
    await sleep(1000) // let the first process hold the local port
    for (let i = 1; i < plan.nodes; i++) if (plan.joinAt[i] === 0) start(i)
    const initial = plan.joinAt.filter(at => at === 0).length
    await waitJoined(procs.filter((p): p is ChatProcess => p !== undefined), Math.min(initial - 1, 4), 30_000 + plan.nodes * 1000)
    await sleep(1500 + config.warmupMs)
    const setupMs = performance.now() - wallStart
    for (const p of procs) if (p !== undefined) base.set(p, usage(p))
    measuring = true
    const measureStart = performance.now()

    const actions: Array<{ at: number, run: () => Promise<void> | undefined }> = []
    for (const s of plan.sends) {
      actions.push({
        at: s.at,
        run: () => {
          const p = procs[s.sender]
          const at = nowEpoch()
          ledger.sent(s.index, s.sender, at - t0, [])
          p?.writeLine(s.text)
          return undefined
        }
      })
    }
    plan.joinAt.forEach((at, node) => { if (at > 0) actions.push({ at, run: () => { ledger.started(node, at); start(node); return undefined } }) })
    for (const c of plan.crashes) {
      actions.push({ at: c.at, run: async () => { const p = procs[c.node]; ledger.stopped(c.node); if (p !== undefined) { await p.stop(true); retired.push(diff(usage(p), base.get(p))) } } })
      actions.push({ at: c.restartAt, run: () => { ledger.started(c.node, c.restartAt); start(c.node); return undefined } })
    }
    actions.sort((a, b) => a.at - b.at)
    const lastEvent = Math.max(0, ...actions.map(a => a.at))
    t0 = nowEpoch() + 20
    const running: Array<Promise<void>> = []
    for (const action of actions) {
      const wait = t0 + action.at - nowEpoch()
      if (wait > 0) await sleep(wait)
      const r = action.run()
      if (r !== undefined) running.push(r)
      const state = ledger.progress()
      progress?.update(state.delivered, state.expected, performance.now() - wallStart, Math.max(0, t0 + lastEvent - nowEpoch()))
    }
    await Promise.all(running)
    const deadline = t0 + lastEvent + config.timeoutMs
    let converged = false
    while (nowEpoch() < deadline) {
      const state = ledger.progress()
      progress?.update(state.delivered, state.expected, performance.now() - wallStart)
      if (state.delivered === state.expected && ledger.sentCount === plan.sends.length) { converged = true; break }
      await sleep(50)
    }
    const endAt = nowEpoch() - t0
    const measuredWallMs = performance.now() - measureStart
    const live = procs.filter((p): p is ChatProcess => p !== undefined && p.running)
    const usages = [...retired, ...live.map(p => diff(usage(p), base.get(p)))]
    const statuses = await Promise.all(live.map(async p => {
      const reply = p.next(e => e.type === 'status', 3000)
      p.writeLine('/status')
      return await reply
    }))
    const rss = live.reduce((sum, p) => sum + (p.pid === undefined ? 0 : processUsage(p.pid)?.rss ?? 0), 0)
    const contentSize = plan.sends.map(s => encodeChatContent({ nick: `n${s.sender}`, text: s.text, action: false }).byteLength)
    let payloadBytes = 0
    for (let n = 0; n < plan.nodes; n++) for (let i = 0; i < plan.sends.length; i++) if (!Number.isNaN(ledger.firstAt[n][i]) && ledger.sender[i] !== n) payloadBytes += contentSize[i]
    const wire = usages.reduce((sum, u) => sum + u.wchar - u.stdout, 0)
    const counter = (s: ChatEvent | undefined, f: (s: ChatEvent) => number): number => s === undefined ? 0 : f(s)
    const pulls = statuses.reduce((sum, s) => sum + counter(s, x => Number(x.pullsMade ?? 0)), 0)
    const coreDup = statuses.reduce((sum, s) => sum + counter(s, x => Number((x.dropped as Record<string, number> | undefined)?.duplicate ?? 0)), 0)
    notes.push(`${outOfOrder.count} deliveries flagged outOfOrder by the chat`, 'resends and gossipsub duplicates are not visible from outside the process')
    if (statuses.some(s => s === undefined)) notes.push('some processes did not answer /status: pulls and duplicates undercount')
    return {
      config,
      plan,
      ledger,
      endAt,
      converged,
      wallMs: performance.now() - wallStart,
      setupMs,
      measuredWallMs,
      processes: plan.nodes,
      ...(bytesWritten('self') !== undefined ? { traffic: { wireBytes: wire, payloadBytes, breakdown: {}, scope: 'bytes the chat processes wrote (wchar) minus their stdout: Noise frames of gossipsub, DHT, identify, ping and repair; no TCP/IP headers' } } : {}),
      messageOverhead: [],
      duplicatesReceived: { core: coreDup },
      pulls,
      resends: 0,
      cpuMs: { user: usages.reduce((sum, u) => sum + u.cpu, 0), system: 0 },
      memory: { rss, heapUsed: Number.NaN },
      causalChecked: false,
      notes
    }
  } finally {
    await Promise.all(procs.map(async p => { await p?.stop() }))
    await rm(root, { recursive: true, force: true })
  }
}

function diff (now: Usage, before: Usage | undefined): Usage {
  const b = before ?? { cpu: 0, wchar: 0, stdout: 0 }
  return { cpu: now.cpu - b.cpu, wchar: now.wchar - b.wchar, stdout: now.stdout - b.stdout }
}

/** Waits until each process has announced `need` distinct room peers (`peer-join` minus `peer-leave`). */
async function waitJoined (procs: ChatProcess[], need: number, timeoutMs: number): Promise<void> {
  const peers = procs.map(() => new Set<string>())
  procs.forEach((p, i) => p.onEvent(e => {
    if (typeof e.peerId !== 'string') return
    if (e.type === 'peer-join') peers[i].add(e.peerId)
    if (e.type === 'peer-leave') peers[i].delete(e.peerId)
  }))
  const deadline = Date.now() + timeoutMs
  while (!peers.every(s => s.size >= need)) {
    if (procs.some(p => !p.running)) throw new Error('a p2pchat process exited during start-up')
    if (Date.now() > deadline) throw new Error(`the processes did not find each other within ${Math.round(timeoutMs / 1000)} s`)
    await sleep(100)
  }
}
