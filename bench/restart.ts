/**
 * A peer restarting over a lingering connection (go-libp2p-pubsub #133), timed from outside:
 * ann runs; x runs with key K and chats; x is frozen (SIGSTOP); a new x starts with key K.
 *  1. from the new x's first `peer-join` (connected, ann's subscription seen) to a line of
 *     ann's reaching it and a line of its own reaching ann (both ways);
 *  2. from killing the frozen x (its connection dies at ann) to the same, both ways.
 * Target: each within 2 s. Repeated `rounds` times; medians and maxima.
 */

import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { freePort } from '../src/sim/free-port.js'
import { summarize, ms } from './stats.js'

const BIN = fileURLToPath(new URL('../../bin/p2pchat.js', import.meta.url))

interface Proc {
  child: ChildProcessByStdio<Writable, Readable, null>
  /** Resolves with performance.now() at the first event matching `predicate`, or rejects after `timeoutMs`. */
  when: (predicate: (e: Record<string, unknown>) => boolean, timeoutMs?: number) => Promise<number>
}

function start (port: number, nick: string, extra: string[]): Proc {
  const child = spawn(process.execPath, [BIN, '--topic', 'restart-bench', '--json', '--ephemeral', ...extra], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: nick, P2PCHAT_DATA_DIR: mkdtempSync(join(tmpdir(), 'p2pchat-restart-')) }
  })
  const seen: Array<{ event: Record<string, unknown>, at: number }> = []
  const waiters: Array<{ predicate: (e: Record<string, unknown>) => boolean, resolve: (at: number) => void }> = []
  let partial = ''
  child.stdout.on('data', (chunk: Buffer) => {
    const at = performance.now()
    partial += chunk.toString()
    const lines = partial.split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      let event: Record<string, unknown>
      try { event = JSON.parse(line) as Record<string, unknown> } catch { continue }
      seen.push({ event, at })
      for (const w of [...waiters]) if (w.predicate(event)) { waiters.splice(waiters.indexOf(w), 1); w.resolve(at) }
    }
  })
  return {
    child,
    when: async (predicate, timeoutMs = 30_000) => {
      const earlier = seen.find(s => predicate(s.event))
      if (earlier !== undefined) return earlier.at
      return await new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => { reject(new Error('timed out waiting for an event')) }, timeoutMs)
        waiters.push({ predicate, resolve: at => { clearTimeout(timer); resolve(at) } })
      })
    }
  }
}

const line = (text: string) => (e: Record<string, unknown>): boolean => e.type === 'message' && e.own !== true && e.text === text

/** Both ways from `t0`: ann → x and x → ann, each sent at once; returns the later arrival − t0. */
async function bothWays (ann: Proc, x: Proc, tag: string, t0: number): Promise<number> {
  ann.child.stdin.write(`ann ${tag}\n`)
  x.child.stdin.write(`x ${tag}\n`)
  const [atX, atAnn] = await Promise.all([x.when(line(`ann ${tag}`)), ann.when(line(`x ${tag}`))])
  return Math.max(atX, atAnn) - t0
}

/** Runs the scenario `rounds` times and returns report lines and figures. */
export async function runRestart (rounds = 5): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const afterJoin: number[] = []
  const afterDeath: number[] = []
  for (let round = 0; round < rounds; round++) {
    const port = await freePort()
    const keyFile = join(mkdtempSync(join(tmpdir(), 'p2pchat-restart-key-')), 'key')
    writeFileSync(keyFile, privateKeyToProtobuf(await generateKeyPair('Ed25519')), { mode: 0o600 })
    const procs: Proc[] = []
    try {
      const ann = start(port, 'ann', [])
      procs.push(ann)
      ann.child.stdin.write('/id\n')
      await ann.when(e => e.type === 'id')
      const old = start(port, 'x', ['--key', keyFile])
      procs.push(old)
      await old.when(e => e.type === 'peer-join')
      await bothWays(ann, old, `before ${round}`, performance.now())
      old.child.kill('SIGSTOP')
      const fresh = start(port, 'x', ['--key', keyFile])
      procs.push(fresh)
      const joined = await fresh.when(e => e.type === 'peer-join')
      afterJoin.push(await bothWays(ann, fresh, `lingering ${round}`, joined))
      const killedAt = performance.now()
      old.child.kill('SIGKILL')
      afterDeath.push(await bothWays(ann, fresh, `after ${round}`, killedAt))
    } finally {
      for (const p of procs) { p.child.kill('SIGCONT'); p.child.kill('SIGKILL') }
    }
  }
  const onJoin = summarize(afterJoin)
  const death = summarize(afterDeath)
  return {
    figures: { afterJoin, afterDeath },
    lines: [
      `restart over a lingering connection (${rounds} rounds; target: both ways within 2 s)`,
      `  new connection (peer-join) to both ways: median ${ms(onJoin.median)}, max ${ms(onJoin.max)}`,
      `  old process killed to both ways:        median ${ms(death.median)}, max ${ms(death.max)}`
    ]
  }
}
