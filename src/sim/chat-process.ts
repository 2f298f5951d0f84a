/**
 * One spawned `p2pchat --topic <t> --json` process for `--procs`: its own data
 * directory and local port, piped stdin (each line is a message), and its NDJSON
 * events parsed as they arrive, with the byte count of its stdout.
 */

import { spawn, type ChildProcessByStdio } from 'node:child_process'
import type { Readable, Writable } from 'node:stream'
import { packageFile } from './package-path.js'

/** A parsed NDJSON event. */
export type ChatEvent = Record<string, unknown> & { type?: string }

/** A running chat process. */
export class ChatProcess {
  readonly child: ChildProcessByStdio<Writable, Readable, null>
  readonly exited: Promise<void>
  /** Bytes read from its stdout (its own console output, not network traffic). */
  stdoutBytes = 0
  private partial = ''
  private readonly listeners: Array<(event: ChatEvent) => void> = []

  constructor (topic: string, env: Record<string, string>) {
    this.child = spawn(process.execPath, [packageFile('bin/p2pchat.js'), '--topic', topic, '--json'], {
      stdio: ['pipe', 'pipe', 'ignore'],
      env: { ...process.env, NO_COLOR: '1', ...env }
    })
    this.child.stdin.on('error', () => {})
    this.exited = new Promise(resolve => { this.child.once('exit', () => { resolve() }) })
    this.child.stdout.on('data', (chunk: Buffer) => {
      this.stdoutBytes += chunk.byteLength
      this.partial += chunk.toString('utf8')
      const lines = this.partial.split('\n')
      this.partial = lines.pop() ?? ''
      for (const line of lines) {
        let event: ChatEvent
        try { event = JSON.parse(line) as ChatEvent } catch { continue }
        for (const l of this.listeners) l(event)
      }
    })
  }

  get pid (): number | undefined {
    return this.child.pid
  }

  get running (): boolean {
    return this.child.exitCode === null && this.child.signalCode === null
  }

  /** Calls `listener` for every event from now on. */
  onEvent (listener: (event: ChatEvent) => void): void {
    this.listeners.push(listener)
  }

  /** Writes one line to stdin. */
  writeLine (line: string): void {
    if (this.running) this.child.stdin.write(line + '\n')
  }

  /** The next event matching `predicate`, or undefined after `timeoutMs`. */
  async next (predicate: (event: ChatEvent) => boolean, timeoutMs: number): Promise<ChatEvent | undefined> {
    return await new Promise(resolve => {
      const timer = setTimeout(() => { resolve(undefined) }, timeoutMs)
      this.onEvent(event => { if (predicate(event)) { clearTimeout(timer); resolve(event) } })
    })
  }

  /** SIGKILL (a crash) or SIGTERM (a clean quit); resolves once it exited (SIGKILL after 5 s). */
  async stop (crash = false): Promise<void> {
    if (!this.running) return
    this.child.kill(crash ? 'SIGKILL' : 'SIGTERM')
    const timer = setTimeout(() => { this.child.kill('SIGKILL') }, 5000)
    await this.exited
    clearTimeout(timer)
  }
}
