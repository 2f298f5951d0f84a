/**
 * The I/O half of failure detection: carries out the driver's probe requests (a libp2p ping
 * of a neighbour, or a request to a helper over the probe protocol) and reports each outcome
 * back; serves other peers' requests to ping someone for them.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId } from '@libp2p/interface'
import type { ProbeRequest } from '../presence/index.js'
import type { ChatNode } from '../node/create-node.js'
import type { DropCounter } from './drop-counter.js'
import type { RoomDriver } from './driver.js'
import { handleProbe, pingPeer, probeVia } from './probe-protocol.js'

/** What the probe service needs from its room. */
export interface ProbeContext {
  node: ChatNode
  driver: RoomDriver
  drops: DropCounter
  /** Fault injection: true when this probe's request or answer is lost (it then fails at its timeout). */
  lossy?: () => boolean
  now: () => number
  /** Applies the driver's output after an input. */
  flush: () => void
}

/** Probes of one room. */
export class ProbeService {
  private unhandle?: () => Promise<void>
  private stopped = false
  private readonly timers = new Set<ReturnType<typeof setTimeout>>()

  constructor (private readonly ctx: ProbeContext) {}

  /** Registers the helper side of the probe protocol. */
  async start (): Promise<void> {
    this.unhandle = await handleProbe(this.ctx.node, reason => { this.ctx.drops.add(`probe-${reason}`) })
  }

  /** Unregisters it; outcomes still on their way are ignored. */
  async stop (): Promise<void> {
    this.stopped = true
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    await this.unhandle?.().catch(() => {})
  }

  /** Makes one probe and reports its outcome to the driver. */
  run (request: ProbeRequest): void {
    if (this.ctx.lossy?.() === true) {
      const timer = setTimeout(() => { this.timers.delete(timer); this.report(request.probeId, 'failed') }, request.timeoutMs)
      this.timers.add(timer)
      return
    }
    void this.probe(request).then(outcome => { this.report(request.probeId, outcome) })
  }

  private async probe ({ target, via, timeoutMs }: ProbeRequest): Promise<'ack' | 'nack' | 'failed'> {
    let peer: PeerId
    try { peer = peerIdFromString(via ?? target) } catch { return 'failed' }
    if (via === undefined) return await pingPeer(this.ctx.node, peer, timeoutMs) ? 'ack' : 'failed'
    // The helper's own ping gets half our wait: its answer, either way, is back in time.
    return await probeVia(this.ctx.node, peer, target, Math.max(1, Math.floor(timeoutMs / 2)), timeoutMs)
  }

  private report (probeId: number, outcome: 'ack' | 'nack' | 'failed'): void {
    if (this.stopped) return
    this.ctx.driver.probed(probeId, outcome, this.ctx.now())
    this.ctx.flush()
  }
}
