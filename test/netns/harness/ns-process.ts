/**
 * Node processes started inside a namespace of the simulated internet, with their stdout
 * collected line by line and a deadline on every wait.
 */

import { lineCollector } from '../../support/lines.js'
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process'
import { packageFile } from '../../../src/sim/package-path.js'

/** Absolute path of a fixture script in test/netns/fixtures. */
export function fixture (name: string): string {
  return packageFile(`test/netns/fixtures/${name}`)
}

/**
 * The load hook every p2pchat or fixture node of the simulated internet runs with: the
 * documentation ranges of the simulation play the public internet there (libp2p would
 * otherwise treat them as private and never use them as public addresses).
 */
export const PUBLIC_RANGES_HOOK = fixture('sim-public-ranges.mjs')

/** A node process running inside a namespace. */
export class NsProcess {
  readonly child: ChildProcessWithoutNullStreams
  readonly stdout: string[] = []
  readonly stderr: string[] = []
  readonly exited: Promise<number | null>
  private readonly waiters = new Set<() => void>()

  /** Runs `node <nodeArgs>` in namespace `ns`. */
  constructor (readonly ns: string, nodeArgs: string[], env: Record<string, string> = {}) {
    this.child = spawn('ip', ['netns', 'exec', ns, process.execPath, ...nodeArgs], {
      stdio: ['pipe', 'pipe', 'pipe'],
      env: { ...process.env, ...env }
    })
    this.child.stdin.on('error', () => {})
    const collect = (sink: string[]) => lineCollector(sink, () => { for (const w of this.waiters) w() })
    this.child.stdout.on('data', collect(this.stdout))
    this.child.stderr.on('data', collect(this.stderr))
    this.exited = new Promise(resolve => { this.child.once('exit', code => { resolve(code); for (const w of this.waiters) w() }) })
  }

  get running (): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** Writes one line to stdin. */
  type (line: string): void {
    if (this.running) this.child.stdin.write(line + '\n')
  }

  /**
   * The first stdout line from index `from` on that matches; rejects after `timeoutMs` (or when
   * the process exits first) with what it printed.
   */
  async waitForLine (match: (line: string) => boolean, what: string, timeoutMs = 30_000, from = 0): Promise<string> {
    return await new Promise((resolve, reject) => {
      const check = (): void => {
        const line = this.stdout.slice(from).find(match)
        if (line !== undefined) { done(); resolve(line); return }
        if (!this.running) { done(); reject(new Error(`${this.ns}: process exited while waiting for ${what}\n${this.tail()}`)) }
      }
      const timer = setTimeout(() => { done(); reject(new Error(`${this.ns}: timed out after ${timeoutMs} ms waiting for ${what}\n${this.tail()}`)) }, timeoutMs)
      const done = (): void => { clearTimeout(timer); this.waiters.delete(check) }
      this.waiters.add(check)
      check()
    })
  }

  /** The last lines of output, for failure messages. */
  tail (lines = 30): string {
    return `stdout:\n${this.stdout.slice(-lines).join('\n')}\nstderr:\n${this.stderr.slice(-lines).join('\n')}`
  }

  /** SIGTERM (or SIGKILL when `crash`), then SIGKILL after 3 s; resolves once it exited. */
  async stop (crash = false): Promise<void> {
    if (!this.running) return
    this.child.kill(crash ? 'SIGKILL' : 'SIGTERM')
    const timer = setTimeout(() => { this.child.kill('SIGKILL') }, 3000)
    await this.exited
    clearTimeout(timer)
  }
}
