/**
 * Who is in the room, as the broadcast paths report it, and whom we hold a connection
 * to: diffed on every report so joins and leaves are announced exactly once each.
 */

/** Topic peers and connected peers of one room. */
export class Membership {
  private readonly topic = new Set<string>()
  private readonly connectedPeers = new Set<string>()

  constructor (private readonly selfId: string) {}

  /** Takes a new report; returns who joined and who left since the last one. */
  update (topicPeers: Iterable<string>, connected: Iterable<string>): { joined: string[], left: string[] } {
    const next = new Set(topicPeers)
    next.delete(this.selfId)
    this.connectedPeers.clear()
    for (const peer of connected) this.connectedPeers.add(peer)
    const joined = [...next].filter(p => !this.topic.has(p))
    const left = [...this.topic].filter(p => !next.has(p))
    for (const peer of joined) this.topic.add(peer)
    for (const peer of left) this.topic.delete(peer)
    return { joined, left }
  }

  /** True when the peer is in the topic. */
  has (peerId: string): boolean { return this.topic.has(peerId) }

  /** True while we hold a connection to the peer. */
  connected (peerId: string): boolean { return this.connectedPeers.has(peerId) }

  /** Peers in the topic. */
  get size (): number { return this.topic.size }

  /** The topic peers, in the order they joined. */
  peers (): Iterable<string> { return this.topic }
}
