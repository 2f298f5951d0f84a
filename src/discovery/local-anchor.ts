/**
 * Zero-flag local start: terminals on one machine find each other through a
 * well-known loopback port (default 47474, `--local-port`).
 *
 * The first p2pchat process to bind 127.0.0.1:<port> becomes the anchor: it
 * forwards every TCP connection on that port to its own libp2p TCP listener, so
 * a dial of `/ip4/127.0.0.1/tcp/<port>` (without a peer id: Noise tells us who
 * answered) reaches its libp2p node. Every other process dials the anchor, and
 * from there the DHT rendezvous finds the room's peers. Non-anchors try to bind
 * the port again every second or so; when the anchor quits, one of them takes
 * it over and later terminals still find the rest. A non-anchor that is no
 * longer connected to whoever holds the port dials it again, so a newcomer that
 * grabbed a freed port is still reached by the terminals already running. The
 * port holds no state, so a takeover loses nothing.
 */

import { createServer, connect, type Server, type Socket } from 'node:net'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import type { Libp2p, PeerId } from '@libp2p/interface'

/** Options for the local anchor. */
export interface LocalAnchorOptions {
  /** The well-known port; 0 disables local discovery. @default 47474 */
  port: number
  /** How often a non-anchor tries to take the port over (ms, ±30% jitter). @default 1000 */
  retakeIntervalMs: number
  /** Dial timeout for reaching the anchor (ms). @default 3000 */
  dialTimeoutMs: number
  /** Called with one-line diagnostics. */
  log: (line: string) => void
}

/** The default well-known local port. */
export const DEFAULT_LOCAL_PORT = 47474

/** Defaults for LocalAnchorOptions. */
export const DEFAULT_LOCAL_ANCHOR_OPTIONS: LocalAnchorOptions = {
  port: DEFAULT_LOCAL_PORT,
  retakeIntervalMs: 1000,
  dialTimeoutMs: 3000,
  log: () => {}
}

/** Holds or dials the well-known local port for one libp2p node. */
export class LocalAnchor {
  private readonly opts: LocalAnchorOptions
  private server?: Server
  private readonly sockets = new Set<Socket>()
  private timer?: NodeJS.Timeout
  private stopped = false
  private dialing = false
  /** Who answered on the port when we last dialed it. */
  private anchorPeer?: PeerId

  constructor (private readonly node: Libp2p, options: Partial<LocalAnchorOptions> = {}) {
    this.opts = { ...DEFAULT_LOCAL_ANCHOR_OPTIONS, ...options }
  }

  /** True while this process holds the well-known port. */
  get isAnchor (): boolean {
    return this.server !== undefined
  }

  /** The multiaddr other local processes dial. */
  get anchorAddress (): Multiaddr {
    return multiaddr(`/ip4/127.0.0.1/tcp/${this.opts.port}`)
  }

  /** Takes the port or dials whoever holds it, then keeps trying to take it over. */
  async start (): Promise<void> {
    if (this.opts.port === 0) return
    if (!await this.tryBind()) await this.dialAnchor()
    this.schedule()
  }

  /** Releases the port and stops retrying. */
  async stop (): Promise<void> {
    this.stopped = true
    clearTimeout(this.timer)
    for (const socket of this.sockets) socket.destroy()
    const server = this.server
    this.server = undefined
    if (server !== undefined) await new Promise<void>(resolve => server.close(() => { resolve() }))
  }

  private schedule (): void {
    if (this.stopped) return
    const delay = this.opts.retakeIntervalMs * (0.7 + 0.6 * Math.random())
    this.timer = setTimeout(() => { void this.retake() }, delay)
    this.timer.unref()
  }

  private async retake (): Promise<void> {
    if (this.stopped) return
    if (!this.isAnchor && await this.tryBind()) {
      this.opts.log(`took over the local port ${this.opts.port}`)
    } else if (!this.isAnchor && (this.anchorPeer === undefined || this.node.getConnections(this.anchorPeer).length === 0)) {
      await this.dialAnchor()
    }
    this.schedule()
  }

  /** The loopback TCP target the anchor forwards to: our own libp2p listener. */
  private forwardTarget (): { host: string, port: number } | undefined {
    for (const ma of this.node.getMultiaddrs()) {
      const parts = ma.getComponents()
      const ip = parts[0]
      const tcp = parts[1]
      if (ip?.name === 'ip4' && tcp?.name === 'tcp' && ip.value !== undefined && tcp.value !== undefined) {
        return { host: ip.value === '0.0.0.0' ? '127.0.0.1' : ip.value, port: Number(tcp.value) }
      }
    }
    return undefined
  }

  private async tryBind (): Promise<boolean> {
    const target = this.forwardTarget()
    if (target === undefined || this.stopped) return false
    const server = createServer(socket => { this.forward(socket, target) })
    const bound = await new Promise<boolean>(resolve => {
      server.once('error', () => { resolve(false) })
      server.listen({ port: this.opts.port, host: '127.0.0.1', exclusive: true }, () => { resolve(true) })
    })
    if (!bound || this.stopped) {
      server.close()
      return false
    }
    server.on('error', err => { this.opts.log(`local port error: ${err.message}`) })
    server.unref()
    this.server = server
    return true
  }

  private forward (client: Socket, target: { host: string, port: number }): void {
    const upstream = connect(target.port, target.host)
    this.sockets.add(client)
    this.sockets.add(upstream)
    const close = (): void => {
      client.destroy()
      upstream.destroy()
      this.sockets.delete(client)
      this.sockets.delete(upstream)
    }
    client.on('error', close).on('close', close)
    upstream.on('error', close).on('close', close)
    client.pipe(upstream)
    upstream.pipe(client)
  }

  private async dialAnchor (): Promise<void> {
    if (this.dialing || this.stopped) return
    this.dialing = true
    try {
      const conn = await this.node.dial(this.anchorAddress, { signal: AbortSignal.timeout(this.opts.dialTimeoutMs) })
      this.anchorPeer = conn.remotePeer
      this.opts.log(`reached the local anchor ${conn.remotePeer.toString()}`)
    } catch (err) {
      this.opts.log(`local anchor not reachable: ${(err as Error).message}`)
    } finally {
      this.dialing = false
    }
  }
}
