/**
 * Tracks who is in the room: the peers gossipsub says are subscribed to our
 * topic, diffed on every subscription change and disconnect, so the room can
 * announce joins and leaves exactly once each.
 */

import type { GossipSub } from '@libp2p/gossipsub'

/** The join/leave difference between two snapshots. */
export interface TopicPeerDiff {
  joined: string[]
  left: string[]
}

/** The current set of topic subscribers. */
export class TopicPeers {
  private current = new Set<string>()

  /**
   * `gone(peer)` is true while the peer has no open connection (a stale entry in gossipsub's map).
   * `sendable(peer)` is true once we can send the peer anything: a subscriber joins only then, so
   * what the room sends a newcomer at once (a sync, queued lines) is not lost to a stream that
   * is still opening. A member stays while subscribed and connected.
   */
  constructor (private readonly pubsub: GossipSub, private readonly topic: string,
    private readonly gone: (peerId: string) => boolean = () => false,
    private readonly sendable: (peerId: string) => boolean = () => true) {}

  /** Number of peers subscribed to the topic. */
  get size (): number {
    return this.current.size
  }

  has (peerId: string): boolean {
    return this.current.has(peerId)
  }

  /** All subscribed peer ids. */
  list (): string[] {
    return [...this.current]
  }

  /**
   * A peer disconnected: it has left, whatever gossipsub's topic map still says at this
   * moment (it may update after the event). Returns true when it was a topic peer.
   */
  drop (peerId: string): boolean {
    return this.current.delete(peerId)
  }

  /** Re-reads the subscribers and returns who joined and who left since the last call. */
  refresh (): TopicPeerDiff {
    const next = new Set(this.pubsub.getSubscribers(this.topic).map(p => p.toString())
      .filter(p => !this.gone(p) && (this.current.has(p) || this.sendable(p))))
    const joined = [...next].filter(p => !this.current.has(p))
    const left = [...this.current].filter(p => !next.has(p))
    this.current = next
    return { joined, left }
  }
}
