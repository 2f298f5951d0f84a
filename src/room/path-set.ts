/**
 * All of a room's broadcast paths as one: a message is published on every path and
 * counts as sent when any path reached a peer; the room's peers are the union of the
 * paths' peers; a peer can be sent to when any path can.
 */
import type { ReliableMessage } from '../reliability/index.js'
import type { BroadcastPath, PathHandler } from './broadcast-path.js'

/** The outcome of publishing one message on every path. */
export interface PublishOutcome {
  /** Peers reached, summed over the paths that succeeded. */
  reached: number
  /** True when every path failed. */
  failed: boolean
  /** Why each failed path failed. */
  errors: string[]
}

/** A room's broadcast paths. */
export class PathSet {
  constructor (readonly paths: readonly BroadcastPath[]) {}

  /** Starts every path, in order. */
  async start (handler: PathHandler): Promise<void> {
    for (const path of this.paths) await path.start(handler)
  }

  /** Stops every path, in order. */
  async stop (): Promise<void> {
    for (const path of this.paths) await path.stop()
  }

  /** Publishes the encoded message on every path at once. */
  async publish (msg: ReliableMessage, bytes: Uint8Array): Promise<PublishOutcome> {
    const results = await Promise.allSettled(this.paths.map(async path => await path.publish(msg, bytes)))
    const errors = results.flatMap(r => r.status === 'rejected' ? [(r.reason as Error).message] : [])
    const reached = results.reduce((n, r) => n + (r.status === 'fulfilled' ? r.value : 0), 0)
    return { reached, failed: errors.length === results.length, errors }
  }

  /** The room's peers: the union over the paths. */
  peers (): Set<string> {
    return new Set(this.paths.flatMap(p => p.peers()))
  }

  /** True when some path can send to the peer now. */
  canSendTo (peerId: string): boolean {
    return this.paths.some(p => p.canSendTo(peerId))
  }
}
