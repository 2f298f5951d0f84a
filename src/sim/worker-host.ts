/**
 * A `HostApi` backed by a worker process: forks `live-worker.js` (the built
 * output; from the TypeScript sources it uses the `dist/` copy, so build
 * first), forwards commands over IPC and relays the worker's batched events to
 * the driver's sink. `stop` waits for the worker to exit (killing it after 10 s).
 */

import { fork, type ChildProcess } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { packageFile } from './package-path.js'
import type { DeliveredEvent, HostApi, HostSettings, HostSink, HostStats, InjectedFaults, NodeInfo, NodeReadiness, RosterView, SentEvent } from './live-types.js'

type Reply = { type: 'reply', id: number, ok: true, value: unknown } | { type: 'reply', id: number, ok: false, error: string }
type Events = { type: 'events', sent: SentEvent[], delivered: DeliveredEvent[] }

/** The worker script: next to this module when built, else the build output of it (also from dist/bundle/). */
export function workerScript (): string {
  const here = fileURLToPath(new URL('./live-worker.js', import.meta.url))
  if (existsSync(here)) return here
  const built = fileURLToPath(new URL('../../dist/src/sim/live-worker.js', import.meta.url))
  if (existsSync(built)) return built
  try { return packageFile('dist/src/sim/live-worker.js') } catch {}
  throw new Error(`cannot find the live worker (${here}); run npm run build first`)
}

/** A host in a child process. */
export class WorkerHost implements HostApi {
  private readonly child: ChildProcess
  private nextId = 1
  private readonly pending = new Map<number, { resolve: (v: unknown) => void, reject: (e: Error) => void }>()
  private readonly exited: Promise<void>

  constructor (settings: HostSettings, private readonly sink: HostSink, execArgv: string[] = []) {
    this.child = fork(workerScript(), [], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'], execArgv })
    this.exited = new Promise(resolve => { this.child.once('exit', () => { resolve() }) })
    this.child.on('message', (message: Reply | Events) => {
      if (message.type === 'events') {
        for (const e of message.sent) this.sink.sent(e)
        for (const e of message.delivered) this.sink.delivered(e)
        return
      }
      const waiter = this.pending.get(message.id)
      this.pending.delete(message.id)
      if (message.ok) waiter?.resolve(message.value)
      else waiter?.reject(new Error(message.error))
    })
    this.child.once('exit', code => {
      for (const w of this.pending.values()) w.reject(new Error(`worker exited (code ${String(code)})`))
      this.pending.clear()
    })
    void this.call('init', settings)
  }

  /** The worker's process id. */
  get pid (): number | undefined {
    return this.child.pid
  }

  private async call<T> (op: string, ...args: unknown[]): Promise<T> {
    const id = this.nextId++
    return await new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: v => { resolve(v as T) }, reject })
      this.child.send({ id, op, args })
    })
  }

  private post (op: string, ...args: unknown[]): void {
    if (this.child.connected) this.child.send({ id: 0, op, args })
  }

  async startNodes (nodes: number[], bootstrap: string[]): Promise<NodeInfo[]> { return await this.call('startNodes', nodes, bootstrap) }
  async readiness (): Promise<NodeReadiness[]> { return await this.call('readiness') }
  async setPeers (peers: string[]): Promise<void> { await this.call('setPeers', peers) }
  async beginMeasure (profile: boolean): Promise<void> { await this.call('beginMeasure', profile) }
  send (run: number, node: number, index: number, text: string, raw: boolean): void { this.post('send', run, node, index, text, raw) }
  async partition (groupA: number[]): Promise<void> { await this.call('partition', groupA) }
  async heal (rediscover: boolean): Promise<void> { await this.call('heal', rediscover) }
  async crossConnections (groupA: number[]): Promise<Array<{ node: number, count: number }>> { return await this.call('crossConnections', groupA) }
  async crash (node: number, abrupt = false): Promise<number> { return await this.call('crash', node, abrupt) }
  async rosterHas (peerId: string): Promise<RosterView[]> { return await this.call('rosterHas', peerId) }
  async restart (node: number, bootstrap: string[]): Promise<NodeInfo> { return await this.call('restart', node, bootstrap) }
  setFaults (faults: InjectedFaults): void { this.post('setFaults', faults) }
  async endMeasure (profileFile?: string): Promise<HostStats> { return await this.call('endMeasure', profileFile) }

  async stop (): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return
    try {
      await Promise.race([this.call('stop'), new Promise(resolve => setTimeout(resolve, 10_000))])
    } catch {}
    this.child.disconnect?.()
    const timer = setTimeout(() => { this.child.kill('SIGKILL') }, 10_000)
    await this.exited
    clearTimeout(timer)
  }
}
