/**
 * Remembers which peers were heard from recently (senders and pull servers), most
 * recent last, bounded. They are the fallback candidates for pull requests.
 */

/** A bounded most-recently-heard list of peer ids. */
export class PeerTracker {
  private readonly lastHeard = new Map<string, number>()

  constructor (readonly capacity: number, private readonly selfId: string) {}

  /** Records that `peer` was heard at `now` (ignores self; recency has 1 s granularity). */
  touch (peer: string, now: number): void {
    if (peer === this.selfId || peer === '') return
    const last = this.lastHeard.get(peer)
    if (last !== undefined && now - last < 1000) return
    this.lastHeard.delete(peer)
    this.lastHeard.set(peer, now)
    if (this.lastHeard.size > this.capacity) {
      const oldest = this.lastHeard.keys().next().value
      if (oldest !== undefined) this.lastHeard.delete(oldest)
    }
  }

  /** Up to `limit` peers, most recently heard first. */
  recent (limit: number): string[] {
    const all = [...this.lastHeard.keys()]
    const out: string[] = []
    for (let i = all.length - 1; i >= 0 && out.length < limit; i--) out.push(all[i])
    return out
  }
}
