/**
 * Keeps us connected to the peers named with `--bootstrap`: dial each, retry
 * with backoff until it answers, and dial again whenever we have no
 * connections left. Addresses may carry `/p2p/<id>` or not.
 */

import type { Libp2p } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { backoffDelay, type BackoffOptions } from './backoff.js'

/** Options for the bootstrap dialer. */
export interface BootstrapDialerOptions {
  backoff: BackoffOptions
  dialTimeoutMs: number
  log: (line: string) => void
}

/** Defaults: retry at 0.5 s doubling to 5 s (a failed TCP dial to a known peer is cheap; being alone is not). */
export const DEFAULT_BOOTSTRAP_DIALER_OPTIONS: BootstrapDialerOptions = {
  backoff: { initialMs: 500, factor: 2, maxMs: 5_000, jitter: 0.2 },
  dialTimeoutMs: 5000,
  log: () => {}
}

/** Dials and re-dials the bootstrap addresses. */
export class BootstrapDialer {
  private readonly opts: BootstrapDialerOptions
  private readonly timers = new Set<NodeJS.Timeout>()
  private stopped = false
  private readonly onDisconnect = (): void => {
    if (this.node.getConnections().length === 0) this.dialAll()
  }

  constructor (private readonly node: Libp2p, private readonly addrs: Multiaddr[], options: Partial<BootstrapDialerOptions> = {}) {
    this.opts = { ...DEFAULT_BOOTSTRAP_DIALER_OPTIONS, ...options }
  }

  /** Starts dialing; resolves once every address was tried once. */
  async start (): Promise<void> {
    this.node.addEventListener('peer:disconnect', this.onDisconnect)
    await Promise.all(this.addrs.map(async ma => { await this.dial(ma, 0) }))
  }

  stop (): void {
    this.stopped = true
    this.node.removeEventListener('peer:disconnect', this.onDisconnect)
    for (const t of this.timers) clearTimeout(t)
  }

  private dialAll (): void {
    for (const ma of this.addrs) void this.dial(ma, 0)
  }

  private async dial (ma: Multiaddr, attempt: number): Promise<void> {
    if (this.stopped) return
    try {
      const conn = await this.node.dial(ma, { signal: AbortSignal.timeout(this.opts.dialTimeoutMs) })
      this.opts.log(`connected to bootstrap peer ${conn.remotePeer.toString()} at ${ma.toString()}`)
    } catch (err) {
      if (this.stopped) return
      const delay = backoffDelay(attempt, this.opts.backoff)
      this.opts.log(`bootstrap ${ma.toString()} failed (${(err as Error).message}); retrying in ${delay} ms`)
      const timer = setTimeout(() => { this.timers.delete(timer); void this.dial(ma, attempt + 1) }, delay)
      timer.unref()
      this.timers.add(timer)
    }
  }
}
