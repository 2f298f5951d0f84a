/**
 * Spawns a real `p2pchat --json` process for a benchmark (built bin/p2pchat.js, an isolated
 * local port, a data dir of its own unless given) and hands each NDJSON event to listeners
 * with the time it was read.
 */

import { spawn, type ChildProcessByStdio } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Readable, Writable } from 'node:stream'
import { fileURLToPath } from 'node:url'
import { performance } from 'node:perf_hooks'

const BIN = fileURLToPath(new URL('../../bin/p2pchat.js', import.meta.url))

/** Node flags for the chat processes, from P2PCHAT_BENCH_NODE_FLAGS (space-separated), for experiments. */
function nodeFlags (): string[] {
  return (process.env.P2PCHAT_BENCH_NODE_FLAGS ?? '').split(' ').filter(f => f.length > 0)
}

/** One NDJSON event of the chat. */
export type ChatEvent = Record<string, unknown>

/** A running chat process. */
export interface ChatChild {
  child: ChildProcessByStdio<Writable, Readable, null>
  /** Calls `fn` with every later event and the performance.now() it was read at. */
  onEvent: (fn: (event: ChatEvent, at: number) => void) => void
}

/** Starts `p2pchat --json ...args` with `P2PCHAT_LOCAL_PORT=port` and `P2PCHAT_NICK=nick`. */
export function startChat (args: string[], port: number, nick: string, dataDir = mkdtempSync(join(tmpdir(), 'p2pchat-bench-'))): ChatChild {
  const child = spawn(process.execPath, [...nodeFlags(), BIN, '--json', ...args], {
    stdio: ['pipe', 'pipe', 'ignore'],
    env: { ...process.env, P2PCHAT_LOCAL_PORT: String(port), P2PCHAT_NICK: nick, P2PCHAT_DATA_DIR: dataDir }
  })
  const listeners: Array<(event: ChatEvent, at: number) => void> = []
  let partial = ''
  child.stdout.on('data', (chunk: Buffer) => {
    const at = performance.now()
    partial += chunk.toString()
    const lines = partial.split('\n')
    partial = lines.pop() ?? ''
    for (const line of lines) {
      let event: ChatEvent
      try { event = JSON.parse(line) as ChatEvent } catch { continue }
      for (const l of listeners) l(event, at)
    }
  })
  return { child, onEvent: fn => { listeners.push(fn) } }
}
