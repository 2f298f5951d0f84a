/**
 * Memory soak: 4 real p2pchat processes in one room, 10 lines a second between them (round
 * robin), for 15 minutes. Samples each process's resident set (VmRSS, Linux /proc) every 30 s
 * and reports its growth from the end of the 2-minute warm-up to the end, in `--ephemeral`
 * or persistent mode. Also checks that every process showed every line exactly once.
 * `npm run bench -- soak-ephemeral soak-persistent` (P2PCHAT_SOAK_MINUTES shortens it).
 */

import { readFileSync } from 'node:fs'
import { freePort } from '../src/sim/free-port.js'
import { startChat, type ChatChild } from './chat-child.js'

/** Options of one soak run. */
export interface SoakOptions {
  /** Keep nothing on disk (`--ephemeral`), or a persistent profile per process. */
  ephemeral: boolean
  processes: number
  /** Lines per second, all processes together. */
  rate: number
  durationMs: number
  warmupMs: number
  sampleEveryMs: number
}

const DEFAULTS: SoakOptions = {
  ephemeral: true,
  processes: 4,
  rate: 10,
  durationMs: Number(process.env.P2PCHAT_SOAK_MINUTES ?? 15) * 60_000,
  warmupMs: 2 * 60_000,
  sampleEveryMs: 30_000
}

interface SoakProc {
  child: ChatChild['child']
  /** How many times each text was shown (others' lines). */
  seen: Map<string, number>
  ready: Promise<void>
  /** The memory figures of the latest /status answer. */
  memory?: { rss: number, heapTotal: number, heapUsed: number, external: number, arrayBuffers: number }
}

function start (port: number, nick: string, ephemeral: boolean): SoakProc {
  const chat = startChat(['--topic', 'soak', ...(ephemeral ? ['--ephemeral'] : [])], port, nick)
  const proc: SoakProc = { child: chat.child, seen: new Map(), ready: Promise.resolve() }
  proc.ready = new Promise<void>(resolve => {
    chat.onEvent(event => {
      if (event.type === 'peer-join') resolve()
      if (event.type === 'status') proc.memory = event.memory as SoakProc['memory']
      if (event.type === 'message' && event.own !== true && event.history !== true) {
        const text = String(event.text)
        proc.seen.set(text, (proc.seen.get(text) ?? 0) + 1)
      }
    })
  })
  return proc
}

/** Resident set size of a process in bytes (Linux), or NaN. */
function rssOf (pid: number | undefined): number {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid ?? 0}/status`, 'utf8'))
    return match === null ? Number.NaN : Number(match[1]) * 1024
  } catch {
    return Number.NaN
  }
}

const sleep = async (ms: number): Promise<void> => { await new Promise(resolve => setTimeout(resolve, ms)) }

/** Runs one soak and returns report lines and figures. */
export async function runSoak (options: Partial<SoakOptions> = {}): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const o = { ...DEFAULTS, ...options }
  const port = await freePort()
  const procs: SoakProc[] = []
  try {
    for (let i = 0; i < o.processes; i++) {
      procs.push(start(port, `soak${i}`, o.ephemeral))
      await sleep(300) // the first holds the local port before the others look for it
    }
    await Promise.race([Promise.all(procs.slice(1).map(async p => { await p.ready })), sleep(60_000)])
    await sleep(3_000)
    const began = Date.now()
    const samples: Array<{ atMs: number, rss: number[], heap: number[], heapTotal: number[], buffers: number[] }> = []
    const sample = async (): Promise<void> => {
      for (const p of procs) p.child.stdin.write('/status\n')
      await sleep(1_000)
      samples.push({
        atMs: Date.now() - began,
        rss: procs.map(p => rssOf(p.child.pid)),
        heap: procs.map(p => p.memory?.heapUsed ?? Number.NaN),
        heapTotal: procs.map(p => p.memory?.heapTotal ?? Number.NaN),
        buffers: procs.map(p => p.memory?.arrayBuffers ?? Number.NaN)
      })
    }
    let sent = 0
    let nextSample = 0
    const interval = 1000 / o.rate
    const total = Math.floor(o.durationMs / interval) // bounded in count and in time
    for (let n = 0; n < total && Date.now() - began < o.durationMs + 60_000; n++) {
      const due = began + n * interval
      const wait = due - Date.now()
      if (wait > 0) await sleep(wait)
      procs[n % procs.length].child.stdin.write(`soak ${n} ${'x'.repeat(40)}\n`)
      sent++
      if (Date.now() - began >= nextSample) {
        await sample()
        nextSample += o.sampleEveryMs
      }
    }
    await sleep(10_000) // the last lines arrive
    await sample()
    const warm = samples.find(s => s.atMs >= o.warmupMs) ?? samples[0]
    const last = samples[samples.length - 1]
    const growth = last.rss.map((r, i) => r / warm.rss[i] - 1)
    const expectedPerProc = (i: number): number => Array.from({ length: sent }, (_, n) => n).filter(n => n % procs.length !== i).length
    const missing = procs.map((p, i) => expectedPerProc(i) - p.seen.size)
    const duplicates = procs.map(p => [...p.seen.values()].filter(c => c > 1).length)
    const mb = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MB`
    return {
      figures: { ...o, sent, samples, growth, missing, duplicates },
      lines: [
        `soak (${o.ephemeral ? '--ephemeral' : 'persistent'}): ${o.processes} processes, ${o.rate} lines/s, ${(o.durationMs / 60_000).toFixed(0)} min, ${sent} lines`,
        `  RSS after ${(warm.atMs / 60_000).toFixed(1)} min warm-up: ${warm.rss.map(mb).join(', ')}`,
        `  RSS at the end (${(last.atMs / 60_000).toFixed(1)} min): ${last.rss.map(mb).join(', ')}`,
        `  growth after warm-up: ${growth.map(g => `${(g * 100).toFixed(1)} %`).join(', ')} (target < 10 %)`,
        `  lines missing per process: ${missing.join(', ')}; shown twice: ${duplicates.join(', ')}`,
        `  RSS samples every ${o.sampleEveryMs / 1000} s (MB, process 0): ${samples.map(s => (s.rss[0] / 2 ** 20).toFixed(0)).join(' ')}`,
        `  JS heap in use (MB, process 0):   ${samples.map(s => (s.heap[0] / 2 ** 20).toFixed(0)).join(' ')}`,
        `  JS heap reserved (MB, process 0): ${samples.map(s => (s.heapTotal[0] / 2 ** 20).toFixed(0)).join(' ')}`,
        `  array buffers (MB, process 0):    ${samples.map(s => (s.buffers[0] / 2 ** 20).toFixed(1)).join(' ')}`
      ]
    }
  } finally {
    for (const p of procs) p.child.kill('SIGTERM')
  }
}
