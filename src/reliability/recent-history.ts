/**
 * The causal history put into every outgoing message: the last N delivered content
 * messages (own and others'), in delivery order, but always including the current
 * heads (delivered messages no delivered message names yet; the tips of the DAG).
 * Naming the heads keeps every delivered message reachable by following histories,
 * so after a partition heals each side's tail is named again and pulled transitively,
 * even when the other side's messages were delivered after it. Sync and ephemeral
 * messages never enter it.
 */
import { bloomKey, parseBloom, parsedBloomHas } from './bloom.js'
import type { HistoryEntry, MessageId } from './types.js'

interface Delivered { id: MessageId, sender: string, seq: number }

/** The last N delivered ids plus the DAG heads. */
export class RecentHistory {
  private readonly recent: Delivered[] = []
  private readonly heads = new Map<MessageId, Delivered>()
  private seq = 0
  private cached: Delivered[] | undefined

  constructor (readonly length: number) {}

  /** Number of ids delivered so far that are still remembered (≤ length). */
  get size (): number {
    return this.recent.length
  }

  /**
   * Records a delivered message and the ids its history names. `late` is true when a
   * delivered message already named it (it was declared lost or beyond catch-up), so
   * it is not a head.
   */
  push (id: MessageId, senderId: string, history: readonly HistoryEntry[], late: boolean): void {
    if (this.heads.size > 0) for (const entry of history) this.heads.delete(entry.messageId)
    this.cached = undefined
    const delivered = { id, sender: senderId, seq: this.seq++ }
    this.recent.push(delivered)
    if (this.recent.length > this.length) this.recent.shift()
    if (!late) {
      this.heads.set(id, delivered)
      if (this.heads.size > this.length) this.heads.delete(this.heads.keys().next().value as MessageId)
    }
  }

  /** The history entries to send (heads first in priority), oldest first; hints name each sender. */
  entries (selfId: string, includeHints: boolean): HistoryEntry[] {
    return this.chosen().map((d) => includeHints && d.sender !== selfId
      ? { messageId: d.id, retrievalHint: d.sender }
      : { messageId: d.id })
  }

  /**
   * True when every id we would announce appears in `history` (so a message carrying
   * it already announced everything we would).
   */
  coveredBy (history: readonly HistoryEntry[]): boolean {
    const newest = this.recent[this.recent.length - 1]
    if (newest !== undefined && !history.some((entry) => entry.messageId === newest.id)) return false
    for (const own of this.chosen()) {
      let found = false
      for (const entry of history) {
        if (entry.messageId === own.id) { found = true; break }
      }
      if (!found) return false
    }
    return true
  }

  /**
   * True when some id we would announce is neither named in `history` nor held by the
   * serialised bloom filter `bloom`: the peer that sent them lacks it (a false positive of the
   * filter can hide a lack, never invent one).
   */
  lackedBy (history: readonly HistoryEntry[], bloom: Uint8Array): boolean {
    const chosen = this.chosen()
    if (chosen.length === 0) return false
    const named = new Set(history.map(entry => entry.messageId))
    const filter = parseBloom(bloom)
    for (const own of chosen) {
      if (named.has(own.id)) continue
      if (filter === undefined || !parsedBloomHas(filter, bloomKey(own.id))) return true
    }
    return false
  }

  private chosen (): Delivered[] {
    if (this.cached !== undefined) return this.cached
    const chosen = new Map<MessageId, Delivered>(this.heads)
    for (let i = this.recent.length - 1; i >= 0 && chosen.size < this.length; i--) {
      chosen.set(this.recent[i].id, this.recent[i])
    }
    this.cached = [...chosen.values()].sort((a, b) => a.seq - b.seq)
    return this.cached
  }
}
