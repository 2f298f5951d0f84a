/**
 * The workload and fault schedule of a run, computed up front from the config
 * and its seed, so every mode runs exactly the same script: who sends message i
 * and when, which nodes join late, when partitions start and heal, and which
 * node crashes when. Times are ms after the first send (t = 0).
 */

import { createRandom } from '../shared/index.js'
import type { SimConfig } from './config.js'

/** One scheduled send. */
export interface PlannedSend { index: number, at: number, sender: number, text: string }

/** One scheduled partition: `groupA` against everyone else, from `start` to `end`. */
export interface PlannedPartition { start: number, end: number, groupA: number[] }

/** One crash and the restart `downtime` later. */
export interface PlannedCrash { at: number, node: number, restartAt: number }

/** The whole script of a run. */
export interface RunPlan {
  /** Run number (tags message texts so runs on one live cluster never mix). */
  run: number
  nodes: number
  sends: PlannedSend[]
  /** When the last message is sent (ms). */
  sendEnd: number
  /** Join time of each node (0 for the initial ones). */
  joinAt: number[]
  partitions: PlannedPartition[]
  crashes: PlannedCrash[]
  /** When injected loss stops (the end of sending). */
  lossEnd: number
}

/** The text of message `index` of run `run`, padded to `size` bytes: `m<index>|xxxx…` (`m<index>@<run>|` after the first run). */
export function messageText (index: number, size: number, run = 0): string {
  const key = run === 0 ? `m${index}|` : `m${index}@${run}|`
  return key.length >= size ? key : key + 'x'.repeat(size - key.length)
}

/** The message and run in a text made by `messageText`, or undefined. */
export function messageKey (text: string): { index: number, run: number } | undefined {
  const match = /^m(\d+)(?:@(\d+))?\|/.exec(text)
  return match === null ? undefined : { index: Number(match[1]), run: match[2] === undefined ? 0 : Number(match[2]) }
}

/** The message index in a text made by `messageText`, or undefined. */
export function messageIndex (text: string): number | undefined {
  return messageKey(text)?.index
}

function shuffled (count: number, random: () => number): number[] {
  const out = Array.from({ length: count }, (_, i) => i)
  for (let i = count - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1))
    const t = out[i]; out[i] = out[j]; out[j] = t
  }
  return out
}

/** Computes the plan of `config` (deterministic per seed). */
export function planRun (config: SimConfig, run = 0): RunPlan {
  const random = createRandom(config.seed ^ 0x5157)
  const n = config.nodes
  const interval = 1000 / config.rate
  const sendEnd = Math.round((config.messages - 1) * interval)
  const lateFrom = n - config.lateJoin
  const joinAt = Array.from({ length: n }, (_, i) => i >= lateFrom ? Math.round(sendEnd / 2) : 0)

  const crashes: PlannedCrash[] = []
  if (config.churn !== undefined) {
    const downUntil = new Array<number>(n).fill(-1)
    let t = 0
    for (let guard = 0; guard < 100_000; guard++) {
      t += -Math.log(1 - random()) * 1000 / config.churn.ratePerSec
      if (t > sendEnd) break
      // Node 0 is the others' bootstrap and never crashes; a node must be up and joined.
      const candidates: number[] = []
      for (let i = 1; i < n; i++) if (downUntil[i] <= t && joinAt[i] <= t) candidates.push(i)
      if (candidates.length === 0) continue
      const node = candidates[Math.floor(random() * candidates.length)]
      const at = Math.round(t)
      downUntil[node] = at + config.churn.downtimeMs
      crashes.push({ at, node, restartAt: at + config.churn.downtimeMs })
    }
  }
  const upAt = (node: number, at: number): boolean =>
    joinAt[node] <= at && !crashes.some(c => c.node === node && c.at <= at && at < c.restartAt)

  const senderCount = config.senders === 0 ? lateFrom : config.senders
  const senderPool = shuffled(lateFrom, random).slice(0, senderCount).sort((a, b) => a - b)
  const sends: PlannedSend[] = []
  for (let index = 0; index < config.messages; index++) {
    const at = Math.round(index * interval)
    const first = Math.floor(random() * senderPool.length)
    let sender = 0 // node 0 never crashes: the fallback when every sender is down
    for (let k = 0; k < senderPool.length; k++) {
      const candidate = senderPool[(first + k) % senderPool.length]
      if (upAt(candidate, at)) { sender = candidate; break }
    }
    sends.push({ index, at, sender, text: messageText(index, config.size, run) })
  }

  const partitions = config.partitions.map(p => {
    const order = shuffled(n, random)
    const size = Math.min(n - 1, Math.max(1, Math.round(n * p.split)))
    return { start: p.atMs, end: p.atMs + p.forMs, groupA: order.slice(0, size).sort((a, b) => a - b) }
  })
  return { run, nodes: n, sends, sendEnd, joinAt, partitions, crashes, lossEnd: sendEnd }
}
