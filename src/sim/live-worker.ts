/**
 * Worker process entry (forked by `WorkerHost`): hosts a `LiveHost` and speaks
 * a small request/reply protocol over the IPC channel. Sends and deliveries are
 * batched every 25 ms, and always flushed before a reply, so the driver has
 * every event before a command that follows them completes.
 */

import '../compat/index.js'
import { LiveHost } from './live-host.js'
import type { DeliveredEvent, HostSettings, InjectedFaults, SentEvent } from './live-types.js'

/** A command from the driver. */
interface Request { id: number, op: string, args: unknown[] }

let host: LiveHost | undefined
let sent: SentEvent[] = []
let delivered: DeliveredEvent[] = []

function post (message: unknown): void {
  const text = JSON.stringify(message)
  if (host !== undefined) host.consoleBytes += Buffer.byteLength(text) + 1
  process.send?.(message)
}

function flush (): void {
  if (sent.length === 0 && delivered.length === 0) return
  post({ type: 'events', sent, delivered })
  sent = []
  delivered = []
}

setInterval(flush, 25).unref()

async function handle (request: Request): Promise<unknown> {
  const args = request.args
  if (request.op === 'init') {
    host = new LiveHost(args[0] as HostSettings, { sent: e => { sent.push(e) }, delivered: e => { delivered.push(e) } })
    return null
  }
  if (host === undefined) throw new Error('worker not initialised')
  switch (request.op) {
    case 'startNodes': return await host.startNodes(args[0] as number[], args[1] as string[])
    case 'readiness': return await host.readiness()
    case 'setPeers': return await host.setPeers(args[0] as string[])
    case 'beginMeasure': return await host.beginMeasure(args[0] as boolean)
    case 'send': host.send(args[0] as number, args[1] as number, args[2] as number, args[3] as string, args[4] as boolean); return undefined
    case 'partition': return await host.partition(args[0] as number[])
    case 'heal': return await host.heal(args[0] as boolean)
    case 'crossConnections': return await host.crossConnections(args[0] as number[])
    case 'crash': return await host.crash(args[0] as number, args[1] as boolean | undefined)
    case 'rosterHas': return await host.rosterHas(args[0] as string)
    case 'restart': return await host.restart(args[0] as number, args[1] as string[])
    case 'setFaults': host.setFaults(args[0] as InjectedFaults); return undefined
    case 'endMeasure': return await host.endMeasure(args[0] as string | undefined)
    case 'stop': await host.stop(); return null
    default: throw new Error(`unknown op ${request.op}`)
  }
}

/** Operations the driver does not wait for (id 0): no reply. */
const FIRE_AND_FORGET = new Set(['send', 'setFaults'])

process.on('message', (request: Request) => {
  handle(request).then(value => {
    if (FIRE_AND_FORGET.has(request.op)) return
    flush()
    post({ type: 'reply', id: request.id, ok: true, value: value ?? null })
  }, (err: Error) => {
    flush()
    if (!FIRE_AND_FORGET.has(request.op)) post({ type: 'reply', id: request.id, ok: false, error: err.message })
  })
})

process.on('disconnect', () => {
  void (host?.stop() ?? Promise.resolve()).finally(() => process.exit(0))
})
