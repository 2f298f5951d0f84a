/**
 * Spawns the real CLI (`bin/p2pchat.js`, built output) with piped stdin and
 * collects its stdout and stderr line by line, for end-to-end tests.
 */

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { mkdtempSync } from 'node:fs'
import { freePort } from '../../src/sim/free-port.js'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { waitFor } from './wait.js'
import { lineCollector } from './lines.js'

export { freePort }

const BIN = fileURLToPath(new URL('../../bin/p2pchat.js', import.meta.url))

/** A running CLI process. */
export interface CliProcess {
  child: ChildProcessWithoutNullStreams
  stdout: string[]
  stderr: string[]
  /** Writes one line to stdin. */
  type: (line: string) => void
  /** Waits for a stdout line matching `pattern`; returns it. */
  waitForLine: (pattern: RegExp | ((line: string) => boolean), what?: string, timeoutMs?: number) => Promise<string>
  /** Resolves with the exit code. */
  exited: Promise<number | null>
}


/** A fresh temporary data directory (tests never touch the user's real one). */
export function tempDataDir (): string {
  return mkdtempSync(join(tmpdir(), 'p2pchat-test-'))
}

/** Spawns `p2pchat ...args` with piped stdio, in its own temporary data dir unless `env` names one. */
export function spawnCli (args: string[], env: Record<string, string> = {}): CliProcess {
  const child = spawn(process.execPath, [BIN, ...args], {
    stdio: ['pipe', 'pipe', 'pipe'],
    env: { ...process.env, NO_COLOR: '', P2PCHAT_NICK: '', P2PCHAT_PROFILE: '', P2PCHAT_DATA_DIR: tempDataDir(), ...env }
  })
  const stdout: string[] = []
  const stderr: string[] = []
  const collect = (sink: string[]) => lineCollector(sink)
  child.stdout.on('data', collect(stdout))
  child.stderr.on('data', collect(stderr))
  child.stdin.on('error', () => {})
  const exited = new Promise<number | null>(resolve => { child.once('exit', code => { resolve(code) }) })
  const find = (pattern: RegExp | ((line: string) => boolean)): string | undefined =>
    stdout.find(l => typeof pattern === 'function' ? pattern(l) : pattern.test(l))
  return {
    child,
    stdout,
    stderr,
    type: line => { child.stdin.write(line + '\n') },
    waitForLine: async (pattern, what = String(pattern), timeoutMs = 30_000) => {
      await waitFor(() => find(pattern) !== undefined, `${what}; stdout so far:\n${stdout.join('\n')}\nstderr:\n${stderr.join('\n')}`, timeoutMs)
      return find(pattern) as string
    },
    exited
  }
}

/** Kills every process still running. */
export async function killAll (procs: CliProcess[]): Promise<void> {
  await Promise.all(procs.map(async p => {
    if (p.child.exitCode !== null || p.child.signalCode !== null) return
    p.child.kill('SIGTERM')
    const timer = setTimeout(() => p.child.kill('SIGKILL'), 3000)
    await p.exited
    clearTimeout(timer)
  }))
}
