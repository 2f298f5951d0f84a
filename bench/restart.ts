/**
 * A peer restarting over a lingering connection (go-libp2p-pubsub #133), timed from outside:
 * ann runs; x runs with key K and chats; x is frozen (SIGSTOP); a new x starts with key K.
 *  1. from the new x's first `peer-join` (connected, ann's subscription seen) to a line of
 *     ann's reaching it and a line of its own reaching ann (both ways);
 *  2. from killing the frozen x (its connection dies at ann) to the same, both ways.
 * Target: each within 2 s. Repeated `rounds` times; medians and maxima.
 */

import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { generateKeyPair, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import { freePort } from '../src/sim/free-port.js'
import { summarize, ms } from './stats.js'
import { startChat, type ChatChild, type ChatEvent } from './chat-child.js'

interface Proc {
  child: ChatChild['child']
  /** Resolves with performance.now() at the first event matching `predicate`, or rejects after `timeoutMs`. */
  when: (predicate: (e: ChatEvent) => boolean, timeoutMs?: number) => Promise<number>
}

function start (port: number, nick: string, extra: string[]): Proc {
  const chat = startChat(['--topic', 'restart-bench', '--ephemeral', ...extra], port, nick)
  const seen: Array<{ event: ChatEvent, at: number }> = []
  chat.onEvent((event, at) => { seen.push({ event, at }) })
  return {
    child: chat.child,
    when: async (predicate, timeoutMs = 30_000) => {
      const earlier = seen.find(s => predicate(s.event))
      if (earlier !== undefined) return earlier.at
      return await new Promise<number>((resolve, reject) => {
        let done = false
        const timer = setTimeout(() => { done = true; reject(new Error('timed out waiting for an event')) }, timeoutMs)
        chat.onEvent((event, at) => { if (!done && predicate(event)) { done = true; clearTimeout(timer); resolve(at) } })
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
