/**
 * Benchmark for the foundation issue: three real `p2pchat --topic x` processes
 * on this machine (zero flags but an isolated local port), measured from the
 * outside like a user would see it.
 *  1. start-to-ready: from spawning the 2nd and 3rd process to their first
 *     `peer-join` event (connected to a room peer, subscription seen);
 *  2. line latency: from writing a line to one process's stdin to its display
 *     on the other two.
 */

import { freePort } from '../src/sim/free-port.js'
import { startChat, type ChatChild } from './chat-child.js'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { summarize, ms } from './stats.js'

/** One user's data dir for the run (terminals share it, as one person's would; never the real one). */
const DATA_DIR = mkdtempSync(join(tmpdir(), 'p2pchat-bench-'))

type Proc = ChatChild

function start (topic: string, port: number, nick: string): Proc {
  return startChat(['--topic', topic], port, nick, DATA_DIR)
}


function waitEvent (p: Proc, predicate: (e: Record<string, unknown>) => boolean, timeoutMs: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error('timeout')) }, timeoutMs)
    p.onEvent((e, at) => { if (predicate(e)) { clearTimeout(timer); resolve(at) } })
  })
}

async function stop (procs: Proc[]): Promise<void> {
  await Promise.all(procs.map(async p => {
    if (p.child.exitCode !== null) return
    const exited = new Promise(resolve => p.child.once('exit', resolve))
    p.child.kill('SIGTERM')
    await exited
  }))
}

/** One trial: returns the ready times of the 2nd and 3rd process and the line latencies. */
async function trial (index: number, linesPerSender: number): Promise<{ ready: number[], latency: number[] }> {
  const port = await freePort()
  const topic = `bench-${process.pid}-${index}`
  const first = start(topic, port, 'p1')
  await new Promise(resolve => setTimeout(resolve, 1000)) // let the first one hold the local port
  const ready: number[] = []
  const t0 = performance.now()
  const second = start(topic, port, 'p2')
  const third = start(topic, port, 'p3')
  const readyAt = await Promise.all([second, third].map(p => waitEvent(p, e => e.type === 'peer-join', 15_000)))
  ready.push(...readyAt.map(t => t - t0))
  const procs = [first, second, third]
  // wait until each sees the two others
  await Promise.all(procs.map(async p => await new Promise<void>(resolve => {
    const seen = new Set<unknown>()
    p.onEvent(e => { if (e.type === 'peer-join') { seen.add(e.peerId); if (seen.size >= 2) resolve() } })
    setTimeout(resolve, 5000)
  })))
  await new Promise(resolve => setTimeout(resolve, 1500)) // let the gossipsub mesh settle (heartbeat is 1 s)

  const latency: number[] = []
  for (let i = 0; i < linesPerSender * procs.length; i++) {
    const sender = procs[i % procs.length]
    const text = `line-${index}-${i}`
    const receivers = procs.filter(p => p !== sender)
    const arrivals = receivers.map(p => waitEvent(p, e => e.type === 'message' && e.text === text && e.own === false, 10_000))
    const sentAt = performance.now()
    sender.child.stdin.write(text + '\n')
    for (const at of await Promise.all(arrivals)) latency.push(at - sentAt)
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  await stop(procs)
  return { ready, latency }
}

/** Runs the benchmark and returns its report lines and figures. */
export async function runLocalTerminals (trials = 7, linesPerSender = 10): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const ready: number[] = []
  const latency: number[] = []
  for (let i = 0; i < trials; i++) {
    const r = await trial(i, linesPerSender)
    ready.push(...r.ready)
    latency.push(...r.latency)
  }
  const readyStats = summarize(ready)
  const latencyStats = summarize(latency)
  return {
    figures: { ready: readyStats, latency: latencyStats },
    lines: [
      `local terminals: ${trials} trials of 3 processes (2nd and 3rd measured), ${linesPerSender} lines per sender`,
      `  start to chat-ready  n=${readyStats.n}  median ${ms(readyStats.median)}  p90 ${ms(readyStats.p90)}  max ${ms(readyStats.max)}  (target: median < 1000 ms)`,
      `  line to display      n=${latencyStats.n}  median ${ms(latencyStats.median)}  p90 ${ms(latencyStats.p90)}  p99 ${ms(latencyStats.p99)}  (target: median < 20 ms)`
    ]
  }
}
