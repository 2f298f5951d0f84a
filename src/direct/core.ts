/**
 * The direct-message core, pure (etcd-io/raft's shape): `send`, `receive`, `answered`, `failed`,
 * `seen` and `tick(now)` in, a `ready()` batch out. Own messages go out per recipient as one
 * stream (`epoch`, `seq` from 1) and are sent again, oldest first, until the recipient's
 * acknowledgement covers them or the retention runs out. Received messages are delivered exactly
 * once and in order per sender's stream; one past a gap waits for the ones before it. No timers,
 * sockets, clock or keys inside: the host signs, verifies, dials and stores.
 */
import { DIRECT_LIMITS, DIRECT_RETENTION_MS, DIRECT_RETRY_MAX_MS, DIRECT_RETRY_MIN_MS } from './constants.js'
import { directMessageId, encodeDirectMessage } from './codec.js'
import type { DirectMessage, DirectState } from './types.js'

/** An own message waiting for the recipient, and when it was first sent. */
interface Pending { message: DirectMessage, queuedAt: number }

/** Per recipient: our stream's next seq, what waits, and the retry schedule. */
interface Outgoing { nextSeq: number, pending: Pending[], inFlight: boolean, retryAt: number, backoff: number }

/** Per sender: the stream we deliver from, how far, and what waits past a gap. */
interface Incoming { epoch: number, delivered: number, buffered: Map<number, DirectMessage> }

/** The durable part of the core, as plain JSON. */
export interface DirectSnapshot {
  epoch: number
  outgoing: Array<{ peer: string, nextSeq: number, pending: Array<{ message: DirectMessage, queuedAt: number }> }>
  incoming: Array<{ peer: string, epoch: number, delivered: number }>
}

/** What the host does after an input. */
export interface DirectReady {
  /** Batches to send now, one attempt each; answer with `answered` or `failed`. */
  sends: Array<{ to: string, messages: DirectMessage[] }>
  /** Messages delivered to our client now (others'), in order. */
  delivered: DirectMessage[]
  /** Own messages whose state changed. */
  states: Array<{ id: string, peer: string, state: DirectState }>
  /** Drop reasons, one per refused input. */
  drops: string[]
  /** The durable state changed. */
  saveState: boolean
}

const empty = (): DirectReady => ({ sends: [], delivered: [], states: [], drops: [], saveState: false })

/** One peer's direct messages. */
export class DirectCore {
  private epoch: number
  private readonly outgoing = new Map<string, Outgoing>()
  private readonly incoming = new Map<string, Incoming>()
  private out: DirectReady = empty()

  /** `now` starts our streams' epoch unless `restore` brings the saved one. */
  constructor (readonly selfId: string, now: number, private readonly retentionMs = DIRECT_RETENTION_MS) {
    this.epoch = Math.max(1, Math.floor(now))
  }

  /** Our own messages to `to` not yet on its client. */
  pendingTo (to: string): number { return this.outgoing.get(to)?.pending.length ?? 0 }

  /** Queues a message to `draft.to`; it goes out now unless an attempt to that peer is under way. */
  send (draft: Omit<DirectMessage, 'id' | 'epoch' | 'seq' | 'from'>, now: number): DirectMessage {
    const o = this.outgoingTo(draft.to)
    const body = { ...draft, from: this.selfId, epoch: this.epoch, seq: o.nextSeq++ }
    const message: DirectMessage = { ...body, id: directMessageId(encodeDirectMessage(body)) }
    o.pending.push({ message, queuedAt: now })
    this.out.saveState = true
    if (!o.inFlight) this.attempt(draft.to, o)
    return message
  }

  /**
   * Messages from `from`, signatures already checked by the host. Returns the acknowledgement to
   * answer with: our view of the sender's stream.
   */
  receive (from: string, messages: readonly DirectMessage[]): { epoch: number, seq: number } {
    for (const m of messages) {
      if (m.from !== from || m.to !== this.selfId) { this.out.drops.push('direct-misaddressed'); continue }
      let s = this.incoming.get(from)
      if (s !== undefined) {
        // Most recently heard last, so the least recently heard is the first to forget.
        this.incoming.delete(from)
        this.incoming.set(from, s)
      }
      if (s === undefined || m.epoch > s.epoch) {
        // A stream we know nothing of (its first message, the sender's new stream, or we lost our
        // state): the sender sends its oldest unacknowledged message first, so everything before
        // the lowest seq of this batch was acknowledged already; start just below it.
        const first = Math.min(...messages.filter(x => x.from === from && x.to === this.selfId && x.epoch === m.epoch).map(x => x.seq))
        s = { epoch: m.epoch, delivered: first - 1, buffered: new Map() }
        this.incoming.delete(from)
        this.incoming.set(from, s)
        if (this.incoming.size > DIRECT_LIMITS.maxStreams) this.incoming.delete(this.incoming.keys().next().value as string)
      }
      if (m.epoch < s.epoch || m.seq <= s.delivered) { this.out.drops.push('direct-duplicate'); continue }
      if (s.buffered.has(m.seq)) { this.out.drops.push('direct-duplicate'); continue }
      if (m.seq > s.delivered + 1 && s.buffered.size >= DIRECT_LIMITS.maxBuffered) { this.out.drops.push('direct-buffer-full'); continue }
      s.buffered.set(m.seq, m)
      for (let next = s.buffered.get(s.delivered + 1); next !== undefined; next = s.buffered.get(s.delivered + 1)) {
        s.buffered.delete(next.seq)
        s.delivered = next.seq
        this.out.delivered.push(next)
        this.out.saveState = true
      }
    }
    const s = this.incoming.get(from)
    return s === undefined ? { epoch: 0, seq: 0 } : { epoch: s.epoch, seq: s.delivered }
  }

  /** An attempt to `to` was answered: what its client has of our stream. */
  answered (to: string, ack: { epoch: number, seq: number, refusal?: string }, now: number): void {
    const o = this.outgoing.get(to)
    if (o === undefined) return
    o.inFlight = false
    // A refusal (over the recipient's rate) is an answer, not silence: try again in a second,
    // without the doubling that paces an unreachable peer.
    if (ack.refusal !== undefined) { o.retryAt = now + DIRECT_RETRY_MIN_MS; o.backoff = DIRECT_RETRY_MIN_MS; return }
    const before = o.pending.length
    if (ack.epoch === this.epoch) {
      o.pending = o.pending.filter(p => {
        if (p.message.seq > ack.seq) return true
        this.out.states.push({ id: p.message.id, peer: to, state: 'delivered' })
        return false
      })
      if (o.pending.length !== before) this.out.saveState = true
    }
    if (o.pending.length === 0) { o.backoff = DIRECT_RETRY_MIN_MS; return }
    if (o.pending.length < before) {
      // Progress, and more waiting (sent meanwhile, or beyond one batch): on at once.
      o.backoff = DIRECT_RETRY_MIN_MS
      this.attempt(to, o)
      return
    }
    // An answer that took nothing (the recipient knows another stream of ours, e.g. the same key
    // in two processes): paced like a failure, never a tight loop.
    this.failed(to, now)
  }

  /** An attempt to `to` failed (unreachable, timeout, refused): retried after a doubling delay. */
  failed (to: string, now: number): void {
    const o = this.outgoing.get(to)
    if (o === undefined) return
    o.inFlight = false
    o.retryAt = now + o.backoff
    o.backoff = Math.min(o.backoff * 2, DIRECT_RETRY_MAX_MS)
  }

  /** `peer` was seen (connected, or in a room's roster): what waits for it goes now. */
  seen (peer: string, now: number): void {
    const o = this.outgoing.get(peer)
    if (o === undefined || o.inFlight || o.pending.length === 0) return
    o.backoff = DIRECT_RETRY_MIN_MS
    this.attempt(peer, o)
  }

  /** Retries that are due, and own messages past the retention (expired). */
  tick (now: number): void {
    for (const [peer, o] of this.outgoing) {
      const kept = o.pending.filter(p => {
        if (now - p.queuedAt < this.retentionMs) return true
        this.out.states.push({ id: p.message.id, peer, state: 'expired' })
        return false
      })
      if (kept.length !== o.pending.length) { o.pending = kept; this.out.saveState = true }
      if (!o.inFlight && o.pending.length > 0 && now >= o.retryAt) this.attempt(peer, o)
    }
  }

  /** When `tick` has work next. */
  nextDeadline (): number {
    let next = Number.POSITIVE_INFINITY
    for (const o of this.outgoing.values()) {
      if (o.pending.length === 0) continue
      if (!o.inFlight) next = Math.min(next, o.retryAt)
      next = Math.min(next, o.pending[0].queuedAt + this.retentionMs)
    }
    return next
  }

  /** Everything produced since the last call. */
  ready (): DirectReady {
    const out = this.out
    this.out = empty()
    return out
  }

  /** The durable state. */
  snapshot (): DirectSnapshot {
    return {
      epoch: this.epoch,
      outgoing: [...this.outgoing].map(([peer, o]) => ({ peer, nextSeq: o.nextSeq, pending: o.pending.map(p => ({ message: p.message, queuedAt: p.queuedAt })) })),
      incoming: [...this.incoming].map(([peer, s]) => ({ peer, epoch: s.epoch, delivered: s.delivered }))
    }
  }

  /** Restores a snapshot (before any input); what waits is retried at the next tick. */
  restore (snapshot: DirectSnapshot): void {
    this.epoch = snapshot.epoch
    for (const o of snapshot.outgoing) this.outgoing.set(o.peer, { nextSeq: o.nextSeq, pending: o.pending.map(p => ({ ...p })), inFlight: false, retryAt: 0, backoff: DIRECT_RETRY_MIN_MS })
    for (const s of snapshot.incoming) this.incoming.set(s.peer, { epoch: s.epoch, delivered: s.delivered, buffered: new Map() })
  }

  private outgoingTo (to: string): Outgoing {
    let o = this.outgoing.get(to)
    if (o === undefined) {
      o = { nextSeq: 1, pending: [], inFlight: false, retryAt: 0, backoff: DIRECT_RETRY_MIN_MS }
      this.outgoing.set(to, o)
    }
    return o
  }

  private attempt (to: string, o: Outgoing): void {
    o.inFlight = true
    this.out.sends.push({ to, messages: o.pending.slice(0, DIRECT_LIMITS.maxBatch).map(p => p.message) })
  }
}
