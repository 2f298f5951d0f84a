/**
 * Memory soak: 4 real p2pchat processes in one room, 10 lines a second between them (round
 * robin), for 15 minutes, in `--ephemeral` or persistent mode. Samples each process's resident
 * set (VmRSS, and its anonymous and file-backed parts, Linux /proc) and its /status memory
 * every 15 s while the lines flow, and reports the growth after the 5-minute warm-up: the
 * highest RSS sampled in the last minute against the highest in the warm-up's last minute.
 * Warm-up is V8 sizing its heap: its young generation grows to 32 MB under this load, and a
 * memory-reducing GC (seen at ~2 min in every profiled run) shrinks it to 4 MB for a while,
 * so a single sample swings by ~28 MB with no change in what the process holds (BENCHMARKS.md
 * has the curve). Also checks that every process showed every line exactly once.
 * `npm run bench -- soak-ephemeral soak-persistent`; P2PCHAT_SOAK_MINUTES and
 * P2PCHAT_SOAK_WARMUP_MINUTES shorten it for profiling.
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
  /** Growth is measured from the end of the warm-up (the highest RSS in its last `windowMs`). */
  warmupMs: number
  sampleEveryMs: number
  /** The RSS of a moment is the highest sampled in the window ending then. */
  windowMs: number
}

const DEFAULTS: SoakOptions = {
  ephemeral: true,
  processes: 4,
  rate: 10,
  durationMs: Number(process.env.P2PCHAT_SOAK_MINUTES ?? 15) * 60_000,
  warmupMs: Number(process.env.P2PCHAT_SOAK_WARMUP_MINUTES ?? 5) * 60_000,
  sampleEveryMs: 15_000,
  windowMs: 60_000
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

/** Resident set of a process in bytes (Linux /proc): total, anonymous and file-backed; NaN if unknown. */
function rssOf (pid: number | undefined): { rss: number, anon: number, file: number } {
  const field = (text: string, name: string): number => {
    const match = new RegExp(`${name}:\\s+(\\d+) kB`).exec(text)
    return match === null ? Number.NaN : Number(match[1]) * 1024
  }
  try {
    const status = readFileSync(`/proc/${pid ?? 0}/status`, 'utf8')
    return { rss: field(status, 'VmRSS'), anon: field(status, 'RssAnon'), file: field(status, 'RssFile') }
  } catch {
    return { rss: Number.NaN, anon: Number.NaN, file: Number.NaN }
  }
}

interface Sample { atMs: number, rss: number[], anon: number[], file: number[], heap: number[], heapTotal: number[], buffers: number[] }

/** The sample nearest to `atMs`. */
function nearest (samples: Sample[], atMs: number): Sample {
  return samples.reduce((best, s) => Math.abs(s.atMs - atMs) < Math.abs(best.atMs - atMs) ? s : best)
}

/** Per process, the highest RSS sampled in the `windowMs` up to `atMs` (the nearest sample if none). */
function peakBefore (samples: Sample[], atMs: number, windowMs: number): number[] {
  const slack = 5_000 // a sample is taken about 1 s after its time, later on a busy machine
  const inWindow = samples.filter(s => s.atMs <= atMs + slack && s.atMs > atMs - windowMs + slack)
  const chosen = inWindow.length > 0 ? inWindow : [nearest(samples, atMs)]
  return chosen[0].rss.map((_, i) => Math.max(...chosen.map(s => s.rss[i])))
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
    const samples: Sample[] = []
    const sample = async (): Promise<void> => {
      for (const p of procs) p.child.stdin.write('/status\n')
      await sleep(1_000)
      const sets = procs.map(p => rssOf(p.child.pid))
      samples.push({
        atMs: Date.now() - began,
        rss: sets.map(r => r.rss),
        anon: sets.map(r => r.anon),
        file: sets.map(r => r.file),
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
    await sample() // the end, while the last lines are still arriving: no idle-time GC favours it
    await sleep(10_000) // the last lines arrive
    const mb = (b: number): string => `${(b / 2 ** 20).toFixed(1)} MB`
    const warm = peakBefore(samples, o.warmupMs, o.windowMs)
    const end = peakBefore(samples, samples[samples.length - 1].atMs, o.windowMs)
    const growth = end.map((r, i) => r / warm[i] - 1)
    const at2 = nearest(samples, 2 * 60_000)
    const last = samples[samples.length - 1]
    const growthFrom2 = last.rss.map((r, i) => r / at2.rss[i] - 1)
    const curveAt = [2, 5, 10, 15].map(min => min * 60_000).filter(ms => ms <= last.atMs + o.sampleEveryMs).map(ms => nearest(samples, ms))
    const expectedPerProc = (i: number): number => Array.from({ length: sent }, (_, n) => n).filter(n => n % procs.length !== i).length
    const missing = procs.map((p, i) => expectedPerProc(i) - p.seen.size)
    const duplicates = procs.map(p => [...p.seen.values()].filter(c => c > 1).length)
    const series = (pick: (s: Sample) => number, digits = 0): string => samples.map(s => (pick(s) / 2 ** 20).toFixed(digits)).join(' ')
    return {
      figures: { ...o, sent, samples, warm, end, growth, growthFrom2, missing, duplicates },
      lines: [
        `soak (${o.ephemeral ? '--ephemeral' : 'persistent'}): ${o.processes} processes, ${o.rate} lines/s, ${(o.durationMs / 60_000).toFixed(0)} min, ${sent} lines`,
        ...curveAt.map(s => `  RSS at ${(s.atMs / 60_000).toFixed(1)} min: ${s.rss.map(mb).join(', ')} (anon ${s.anon.map(mb).join(', ')})`),
        `  highest RSS in the warm-up's last ${o.windowMs / 60_000} min (to ${(o.warmupMs / 60_000).toFixed(0)} min): ${warm.map(mb).join(', ')}`,
        `  highest RSS in the last ${o.windowMs / 60_000} min (to ${(last.atMs / 60_000).toFixed(1)} min): ${end.map(mb).join(', ')}`,
        `  growth after warm-up: ${growth.map(g => `${(g * 100).toFixed(1)} %`).join(', ')} (target < 10 %)`,
        `  (from the single sample at ${(at2.atMs / 60_000).toFixed(1)} min to the last: ${growthFrom2.map(g => `${(g * 100).toFixed(1)} %`).join(', ')})`,
        `  lines missing per process: ${missing.join(', ')}; shown twice: ${duplicates.join(', ')}`,
        `  every ${o.sampleEveryMs / 1000} s, process 0 (MB):`,
        `    RSS               ${series(s => s.rss[0])}`,
        `    of it file-backed ${series(s => s.file[0])}`,
        `    JS heap reserved  ${series(s => s.heapTotal[0])}`,
        `    JS heap in use    ${series(s => s.heap[0])}`,
        `    array buffers     ${series(s => s.buffers[0], 1)}`
      ]
    }
  } finally {
    for (const p of procs) p.child.kill('SIGTERM')
  }
}
