/**
 * Own content messages not yet acknowledged: acknowledgement from other peers'
 * causal histories (exact) and bloom filters (probabilistic, needs `threshold`
 * distinct peers), and the eager-push resend schedule with exponential backoff,
 * jitter, a cap and a maximum number of attempts. A message given up on is watched a while
 * longer: a late acknowledgement still reports it (`out:acknowledged` after `out:not-confirmed`).
 */
import { bloomKey, parseBloom, parsedBloomHas, type BloomKey, type ParsedBloom } from './bloom.js'
import type { ChannelEvent } from './events.js'
import { backoffDelay, jittered } from '../shared/index.js'
import type { HistoryEntry, MessageId, ReliableMessage } from './types.js'

interface Unacked {
  message: ReliableMessage
  key: BloomKey
  resends: number
  nextAt: number
  bloomPeers: Set<string>
}

/** Settings of eager push. */
export interface ResendTiming {
  baseMs: number
  maxMs: number
  maxAttempts: number
  jitter: number
}

/** What `takeDue` found: messages to rebroadcast, and ids given up on. */
export interface ResendWork { resend: ReliableMessage[], notConfirmed: MessageId[] }

/**
 * Own messages given up on that are still watched for a late acknowledgement (a peer that was
 * cut off, or quiet, names them later), so that `✗` turns into `✓`.
 */
export const GIVEN_UP_WATCHED = 100

interface GivenUp { key: BloomKey, bloomPeers: Set<string> }

/** Tracks unacknowledged own messages. */
export class AckTracker {
  private readonly pending = new Map<MessageId, Unacked>()
  private readonly givenUp = new Map<MessageId, GivenUp>()
  private earliest = Number.POSITIVE_INFINITY

  constructor (
    private readonly selfId: string,
    private readonly threshold: number,
    private readonly timing: ResendTiming,
    private readonly random: () => number
  ) {}

  /** Own messages awaiting an ack. */
  get size (): number {
    return this.pending.size
  }

  /** Earliest time a resend may be due (a lower bound). */
  get nextResendAt (): number {
    return this.earliest
  }

  /** Starts tracking a just-sent message. */
  track (message: ReliableMessage, now: number): void {
    const nextAt = now + jittered(backoffDelay(0, this.timing.baseMs, this.timing.maxMs), this.timing.jitter, this.random)
    this.pending.set(message.messageId, { message, key: bloomKey(message.messageId), resends: 0, nextAt, bloomPeers: new Set() })
    this.earliest = Math.min(this.earliest, nextAt)
  }

  /** Pending messages with their resend state, in the order they were tracked (for snapshots). */
  entries (): Array<{ message: ReliableMessage, resends: number, nextAt: number }> {
    return [...this.pending.values()].map((r) => ({ message: r.message, resends: r.resends, nextAt: r.nextAt }))
  }

  /**
   * Tracks a message restored from a snapshot: `resends` rebroadcasts were already made,
   * and the next one is due one backoff step (for that many resends) after `now`.
   */
  restore (message: ReliableMessage, resends: number, now: number): void {
    const delay = backoffDelay(resends, this.timing.baseMs, this.timing.maxMs)
    const nextAt = now + jittered(delay, this.timing.jitter, this.random)
    this.pending.set(message.messageId, { message, key: bloomKey(message.messageId), resends, nextAt, bloomPeers: new Set() })
    this.earliest = Math.min(this.earliest, nextAt)
  }

  /** True while the message is still resent (not acknowledged, not given up). */
  has (id: MessageId): boolean {
    return this.pending.has(id)
  }

  /** Takes another peer's causal history and serialised bloom filter into account. */
  observe (peer: string, history: readonly HistoryEntry[], serialisedBloom: Uint8Array, events: ChannelEvent[]): void {
    if (peer === this.selfId || (this.pending.size === 0 && this.givenUp.size === 0)) return
    for (const entry of history) {
      if (this.pending.delete(entry.messageId) || this.givenUp.delete(entry.messageId)) {
        events.push({ type: 'out:acknowledged', id: entry.messageId })
      }
    }
    const bloom = this.pending.size === 0 && this.givenUp.size === 0 ? undefined : parseBloom(serialisedBloom)
    if (bloom === undefined) return
    for (const [id, record] of this.givenUp) {
      if (!this.bloomHit(record, peer, bloom)) continue
      if (record.bloomPeers.size >= this.threshold) {
        this.givenUp.delete(id)
        events.push({ type: 'out:acknowledged', id })
      }
    }
    for (const [id, record] of this.pending) {
      if (!this.bloomHit(record, peer, bloom)) continue
      if (record.bloomPeers.size >= this.threshold) {
        this.pending.delete(id)
        events.push({ type: 'out:acknowledged', id })
      } else {
        events.push({ type: 'out:possibly-acknowledged', id, count: record.bloomPeers.size })
      }
    }
  }

  /** True when `peer`'s filter holds the message and `peer` was not counted for it before (it is now). */
  private bloomHit (record: GivenUp, peer: string, bloom: ParsedBloom): boolean {
    if (record.bloomPeers.has(peer) || !parsedBloomHas(bloom, record.key)) return false
    record.bloomPeers.add(peer)
    return true
  }

  /** Own messages given up on and still watched for a late acknowledgement. */
  get watched (): number {
    return this.givenUp.size
  }

  /** The ids of own messages given up on and still watched, oldest first (for snapshots). */
  watchedIds (): MessageId[] {
    return [...this.givenUp.keys()]
  }

  /** Watches again a message given up on before a restart. */
  rewatch (id: MessageId): void {
    if (!this.pending.has(id)) this.watch(id, { key: bloomKey(id), bloomPeers: new Set() })
  }

  private watch (id: MessageId, record: Pick<Unacked, 'key' | 'bloomPeers'>): void {
    this.givenUp.delete(id)
    this.givenUp.set(id, { key: record.key, bloomPeers: record.bloomPeers })
    if (this.givenUp.size > GIVEN_UP_WATCHED) this.givenUp.delete(this.givenUp.keys().next().value as MessageId)
  }

  /** Returns what is due at `now`: resends (rescheduled) and messages given up on (forgotten). */
  takeDue (now: number): ResendWork {
    const work: ResendWork = { resend: [], notConfirmed: [] }
    if (now < this.earliest) return work
    let earliest = Number.POSITIVE_INFINITY
    for (const [id, record] of this.pending) {
      if (record.nextAt <= now) {
        if (record.resends >= this.timing.maxAttempts) {
          this.pending.delete(id)
          this.watch(id, record)
          work.notConfirmed.push(id)
          continue
        }
        record.resends++
        work.resend.push(record.message)
        const delay = backoffDelay(record.resends, this.timing.baseMs, this.timing.maxMs)
        record.nextAt = now + jittered(delay, this.timing.jitter, this.random)
      }
      earliest = Math.min(earliest, record.nextAt)
    }
    this.earliest = earliest
    return work
  }
}
