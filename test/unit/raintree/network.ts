/**
 * N RainTree cores wired by an in-memory loop, for the tests: copies and ACKs go through one
 * first-in-first-out queue, instantly; `silent` peers take nothing and send nothing. Time only
 * moves when the test calls `tick`.
 */
import { RainTreeCore, RainTreeView, type RainTreeOptions, type RainTreeSend } from '../../../src/raintree/index.js'

type Event = { kind: 'send', from: string, send: RainTreeSend } | { kind: 'ack', from: string, to: string, messageId: string }

export class Loop {
  readonly view: RainTreeView
  readonly cores = new Map<string, RainTreeCore>()
  readonly silent = new Set<string>()
  /** Copies each peer received, every kind. */
  readonly copies = new Map<string, number>()
  /** Peers each message was delivered to, with how many times. */
  readonly deliveries = new Map<string, Map<string, number>>()
  /** Every send and ACK that went through the loop (including to silent peers). */
  readonly log: Event[] = []
  private readonly queue: Event[] = []

  constructor (readonly ids: string[], options: Partial<RainTreeOptions> = {}) {
    this.view = RainTreeView.of(ids[0], ids)
    for (const id of ids) this.cores.set(id, new RainTreeCore(this.view.withSelf(id), options))
  }

  static named (n: number, options: Partial<RainTreeOptions> = {}): Loop {
    return new Loop(Array.from({ length: n }, (_, i) => `peer-${i}`), options)
  }

  core (id: string): RainTreeCore {
    return this.cores.get(id) as RainTreeCore
  }

  /** The peer at `index` of the (shared) sorted view. */
  at (index: number): string {
    return this.view.peerAt(index)
  }

  broadcast (from: string, messageId: string, now = 0): void {
    this.core(from).broadcast(messageId, now)
    this.collect(from)
    this.drain(now)
  }

  tick (now: number): void {
    for (const [id, core] of this.cores) {
      if (this.silent.has(id)) continue
      core.tick(now)
      this.collect(id)
    }
    this.drain(now)
  }

  deliveredTo (messageId: string): Map<string, number> {
    return this.deliveries.get(messageId) ?? new Map()
  }

  sends (filter: (e: { from: string, send: RainTreeSend }) => boolean = () => true): Array<{ from: string, send: RainTreeSend }> {
    return this.log.flatMap(e => e.kind === 'send' && filter(e) ? [e] : [])
  }

  acks (): number {
    return this.log.filter(e => e.kind === 'ack').length
  }

  private collect (id: string): void {
    const ready = this.core(id).ready()
    for (const send of ready.sends) this.push({ kind: 'send', from: id, send })
    for (const ack of ready.acks) this.push({ kind: 'ack', from: id, to: ack.to, messageId: ack.messageId })
    for (const messageId of ready.delivered) {
      const to = this.deliveries.get(messageId) ?? new Map<string, number>()
      to.set(id, (to.get(id) ?? 0) + 1)
      this.deliveries.set(messageId, to)
    }
  }

  private push (event: Event): void {
    this.log.push(event)
    this.queue.push(event)
  }

  private drain (now: number): void {
    for (let head = 0; head < this.queue.length; head++) {
      const event = this.queue[head]
      const to = event.kind === 'send' ? event.send.to : event.to
      if (this.silent.has(to)) continue
      if (event.kind === 'send') {
        this.copies.set(to, (this.copies.get(to) ?? 0) + 1)
        this.core(to).receive(event.send.messageId, event.from, event.send.layer, now, event.send)
      } else {
        this.core(to).ack(event.messageId, event.from, now)
      }
      this.collect(to)
    }
    this.queue.length = 0
  }
}
