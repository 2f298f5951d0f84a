/**
 * What the screen says, measured from the outside on real `p2pchat --json` processes on this
 * machine (issue 15): in each trial `n` terminals meet in a room, then
 *  1. quiet ✓: one sends a line and nobody types; from the line reaching its first other
 *     peer to the sender's `confirmed`;
 *  2. crash to "left": one process is killed with SIGKILL; from the kill to each survivor's
 *     roster dropping it;
 *  3. restart catch-up: the killed one restarts (same data dir) after the others sent 3 lines;
 *     from its first `peer-join` (its prompt is up and has a peer) to the 3 lines delivered.
 * The quiet-room sync is pushed out to 10 minutes and the presence period to 10 minutes, so
 * what is measured comes from the mechanisms named, never from a periodic timer.
 */

import { freePort } from '../src/sim/free-port.js'
import { startChat, type ChatChild, type ChatEvent } from './chat-child.js'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { summarize } from './stats.js'

const ARGS = ['--reliability', 'syncIntervalMs=600000,syncMaxIntervalMs=600000', '--presence', 'basePeriodMs=600000']
/** Longest any one wait may take before the trial is reported as failed. */
const WAIT_MS = 60_000

/** Like `next`, but resolves NaN instead of failing when nothing comes within `WAIT_MS`. */
async function nextOrNaN (p: ChatChild, predicate: (e: ChatEvent) => boolean): Promise<number> {
  return await new Promise(resolve => {
    const timer = setTimeout(() => { resolve(Number.NaN) }, WAIT_MS)
    p.onEvent((e, at) => { if (predicate(e)) { clearTimeout(timer); resolve(at) } })
  })
}

/** The first event matching `predicate` after now, with the time it was read. */
async function next (p: ChatChild, predicate: (e: ChatEvent) => boolean, what: string): Promise<number> {
  return await new Promise((resolve, reject) => {
    const timer = setTimeout(() => { reject(new Error(`timed out waiting for ${what}`)) }, WAIT_MS)
    p.onEvent((e, at) => { if (predicate(e)) { clearTimeout(timer); resolve(at) } })
  })
}

async function stop (procs: ChatChild[]): Promise<void> {
  await Promise.all(procs.map(async p => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return
    const exited = new Promise(resolve => p.child.once('exit', resolve))
    p.child.kill('SIGTERM')
    await exited
  }))
}

const leftNamed = (nick: string) => (e: ChatEvent): boolean =>
  e.type === 'roster' && Array.isArray(e.left) && (e.left as Array<{ nick: string }>).some(x => x.nick === nick)

interface Trial { quietAck: number, crashToLeft: number[], restartCatchUp: number }

async function trial (index: number, n: number): Promise<Trial> {
  const port = await freePort()
  const topic = `truth-${process.pid}-${index}`
  const dirs = Array.from({ length: n }, () => mkdtempSync(join(tmpdir(), 'p2pchat-bench-')))
  const procs = dirs.map((dir, i) => startChat(['--topic', topic, ...ARGS], port, `t${i}`, dir))
  // Everyone sees everyone in the roster.
  await Promise.all(procs.map(async (p, i) => await new Promise<void>((resolve, reject) => {
    const seen = new Set<string>()
    const timer = setTimeout(() => { reject(new Error(`t${i} saw ${seen.size} of ${n - 1}`)) }, WAIT_MS)
    p.onEvent(e => {
      if (e.type !== 'roster') return
      for (const x of (e.joined as Array<{ nick: string, self: boolean }>)) if (!x.self) seen.add(x.nick)
      if (seen.size >= n - 1) { clearTimeout(timer); resolve() }
    })
  })))

  // 1. quiet ✓
  const sender = procs[0]
  const text = `quiet-${index}`
  const arrivals = procs.slice(1).map(p => next(p, e => e.type === 'message' && e.text === text, 'the quiet line'))
  let id: unknown
  const own = next(sender, e => { if (e.type === 'message' && e.text === text) { id = e.id; return true } return false }, 'own line')
  sender.child.stdin.write(text + '\n')
  await own
  const confirmed = await next(sender, e => e.type === 'state' && e.id === id && e.state === 'confirmed', 'the sender\'s ✓')
  const firstArrival = Math.min(...await Promise.all(arrivals))

  // 2. crash to "left"
  const victim = procs[n - 1]
  const survivors = procs.slice(0, n - 1)
  // A survivor with no connection of its own to the victim learns nothing from the crash: it
  // keeps the victim until its records expire (30 min here), so it counts as "not within 60 s".
  const lefts = survivors.map(p => nextOrNaN(p, leftNamed(`t${n - 1}`)))
  const killedAt = performance.now()
  victim.child.kill('SIGKILL')
  const crashToLeft = (await Promise.all(lefts)).map(at => at - killedAt)
  const missing = crashToLeft.filter(x => Number.isNaN(x)).length
  if (missing > 0) process.stderr.write(`truth: trial ${index}: ${missing} of ${survivors.length} survivors still list the killed peer after 60 s\n`)

  // 3. restart catch-up
  const missed = [0, 1, 2].map(i => `missed-${index}-${i}`)
  const atOthers = survivors.slice(1).map(p => Promise.all(missed.map(t => next(p, e => e.type === 'message' && e.text === t, t))))
  for (const t of missed) survivors[0].child.stdin.write(t + '\n')
  await Promise.all(atOthers)
  const again = startChat(['--topic', topic, ...ARGS], port, `t${n - 1}`, dirs[n - 1])
  const got = Promise.all(missed.map(t => next(again, e => e.type === 'message' && e.text === t, `${t} after the restart`)))
  const ready = await next(again, e => e.type === 'peer-join', 'the restarted one\'s first peer')
  const caughtUp = Math.max(...await got)
  await stop([...survivors, again])
  return { quietAck: confirmed - firstArrival, crashToLeft, restartCatchUp: Math.max(0, caughtUp - ready) }
}

/** Runs `trials` trials with `n` terminals each; prints medians and p99s. */
export async function runScreenTruth (n = 5, trials = 5): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const results: Trial[] = []
  for (let i = 0; i < trials; i++) results.push(await trial(i, n))
  const quiet = summarize(results.map(r => r.quietAck))
  const all = results.flatMap(r => r.crashToLeft)
  const left = summarize(all.filter(x => !Number.isNaN(x)))
  const stale = all.filter(x => Number.isNaN(x)).length
  const restart = summarize(results.map(r => r.restartCatchUp))
  const s = (x: { median: number, p99: number, max: number }): string => `median ${(x.median / 1000).toFixed(2)} s, p99 ${(x.p99 / 1000).toFixed(2)} s, max ${(x.max / 1000).toFixed(2)} s`
  return {
    lines: [
      `${n} terminals, ${trials} trials (quiet-room sync and presence period pushed out to 10 min):`,
      `  quiet ✓ (first delivery to the sender's ✓): ${s(quiet)}`,
      `  SIGKILL to "left" in each survivor's roster: ${s(left)} (${left.n} samples; ${stale} of ${all.length} survivors had not dropped it after 60 s)`,
      `  restart catch-up (first peer-join to 3 missed lines): ${s(restart)}`
    ],
    figures: { n, trials, quietAckMs: quiet, crashToLeftMs: left, survivorsStillListingAfter60s: stale, survivors: all.length, restartCatchUpMs: restart }
  }
}
