/**
 * The outbound side of a room: own-message states (pending → sent → confirmed), the
 * write-before-publish rule, and the queue of own lines typed while no peer is in the
 * topic. Messages the core wants out pass through `route`; what may go out now lands
 * in the batch's `publish`.
 */
import type { ReliableMessage } from '../reliability/index.js'
import { DurableGate } from './durable-gate.js'
import type { RoomOutput, RoomReady } from './driver-types.js'
import { OutboundQueue } from './outbound-queue.js'
import { OwnStates } from './own-states.js'
import type { OwnMessageState } from './types.js'

/** Own messages on their way out. */
export class Outbox {
  private readonly own: OwnStates
  private readonly queue: OutboundQueue<ReliableMessage>
  private readonly durable = new DurableGate()

  constructor (ownStatesKept: number, queueCapacity: number) {
    this.own = new OwnStates(ownStatesKept)
    this.queue = new OutboundQueue(queueCapacity)
  }

  /** A new own message: pending, and (when `durable`) held back until `written`. */
  sent (msg: ReliableMessage, durable: boolean): void {
    this.own.add(msg.messageId)
    if (durable) this.durable.writing(msg.messageId)
  }

  /** An own message restored unacknowledged from disk. */
  restored (id: string): void { this.own.add(id) }

  /** An own message restored from disk that had been acknowledged, or given up on. */
  restoredSettled (id: string, state: 'confirmed' | 'not-confirmed'): void { this.own.settled(id, state) }

  /** A durable write finished (`ok`) or failed (that message is never published): what waited goes out now. */
  written (id: string, ok: boolean, hasPeers: boolean, out: RoomReady): void {
    for (const msg of ok ? this.durable.written(id) : this.durable.failed(id)) this.place(msg, hasPeers, out)
  }

  /** Publishes `msg` now, holds it back for its write, queues it for the first peer, or (not ours, no peers) drops it. */
  route (msg: ReliableMessage, hasPeers: boolean, out: RoomReady): void {
    if (this.durable.admit(msg)) this.place(msg, hasPeers, out)
  }

  /** Publishes a message the durable gate let through, or queues it for the first peer. */
  private place (msg: ReliableMessage, hasPeers: boolean, out: RoomReady): void {
    if (hasPeers) { out.publish.push(msg); return }
    if (msg.kind === 'content' && this.own.get(msg.messageId) === 'pending') this.queue.push(msg)
  }

  /** A peer appeared: the queued own lines go out. */
  release (out: RoomReady): void {
    for (const msg of this.queue.takeAll()) out.publish.push(msg)
  }

  /** A publish reached `recipients` peers (0: nobody, so it stays pending). */
  published (msg: ReliableMessage, recipients: number, out: RoomReady): void {
    if (recipients > 0 && this.own.get(msg.messageId) === 'pending') this.setState(msg.messageId, 'sent', out)
  }

  /** A publish failed on every path: a pending own line waits for the next peer. */
  publishFailed (msg: ReliableMessage): void {
    if (msg.kind === 'content' && this.own.get(msg.messageId) === 'pending') this.queue.push(msg)
  }

  /** Moves an own message to a later state; tells the UI when that changed anything. */
  setState (id: string, state: 'sent' | 'confirmed' | 'not-confirmed', out: RoomReady): void {
    if (this.own.set(id, state)) out.events.push({ type: 'message:state', detail: { id, state } } satisfies RoomOutput)
  }

  /** The state of an own message, if still tracked. */
  state (id: string): OwnMessageState | undefined { return this.own.get(id) }

  /** Own messages not yet on any peer. */
  pendingCount (): number { return this.own.pendingCount() }

  /** Own lines waiting for a peer, and how many a full queue dropped. */
  get queued (): { size: number, overflowed: number } { return { size: this.queue.size, overflowed: this.queue.overflowed } }
}
