/**
 * The inbound side of a room: turns the reliability core's events into the batch's
 * output. Delivered chat messages become lines for the UI (and records to store),
 * delivered presence records go to presence, acknowledgements move own-message
 * states, losses are logged. It also remembers the last nick seen from each peer.
 */
import type { ChannelEvent, ReliableMessage } from '../reliability/index.js'
import type { Presence } from '../presence/index.js'
import { toChatLine } from './chat-lines.js'
import { decisionOf } from './decision-codec.js'
import { NickBook } from './nick-book.js'
import type { RoomReady } from './driver-types.js'
import type { Outbox } from './outbox.js'
import type { ChatLine } from './types.js'

/** Delivery times remembered for `/history`: the channel's in-memory store holds 1,000 lines. */
const ARRIVALS_KEPT = 2_000

/** Channel events into room output. */
export class Inbox {
  private readonly nicks: NickBook
  /** When each recent line was delivered here (ms), for `/history`. */
  private readonly arrivals = new Map<string, number>()
  /** Lines that arrived below the final point (bounded like `arrivals`). */
  private readonly late = new Set<string>()

  /**
   * `finalUpTo`: the Lamport value up to which the committee made the order final (0: none);
   * `lateArrival`: whether a line just delivered is late (outside the final order it lies in).
   */
  constructor (private readonly selfId: string, private readonly trustedPeers: readonly string[], private readonly outbox: Outbox, private readonly presence: Presence,
    private readonly finalUpTo: () => number = () => 0, private readonly lateArrival: (msg: ReliableMessage) => boolean = () => false,
    /** A message as we can read it: a private room's opened (undefined when it does not open). */
    private readonly readable: (msg: ReliableMessage) => ReliableMessage | undefined = msg => msg) {
    this.nicks = new NickBook(selfId)
  }

  /** The chat line of a content message (undefined when its content does not decode). */
  line (msg: ReliableMessage, now: number): ChatLine | undefined {
    const at = this.arrivals.get(msg.messageId) ?? now
    const plain = this.readable(msg)
    const line = plain === undefined ? undefined : toChatLine(plain, at, { selfId: this.selfId, trustedPeers: this.trustedPeers, ownState: id => this.outbox.state(id) })
    const tag = line === undefined ? undefined : this.nicks.tagFor(line.from, line.nick)
    if (line !== undefined && tag !== undefined) line.nickTag = tag
    if (line !== undefined && this.late.has(line.id)) line.late = true
    else if (line !== undefined && line.lamport <= this.finalUpTo()) line.final = true
    return line
  }

  /** Remembers when a line was delivered (bounded: the oldest are forgotten). */
  private arrived (id: string, at: number): void {
    this.arrivals.set(id, at)
    if (this.arrivals.size > ARRIVALS_KEPT) this.arrivals.delete(this.arrivals.keys().next().value as string)
  }

  /** Lines of stored messages shown as history at start; their nicks are remembered. */
  restore (entries: ReadonlyArray<{ message: ReliableMessage, storedAt: number }>, now: number): ChatLine[] {
    const lines: ChatLine[] = []
    for (const entry of entries) {
      this.arrived(entry.message.messageId, entry.storedAt)
      const line = this.line(entry.message, now)
      if (line === undefined) continue
      if (!line.own) this.nicks.see(line.from, line.nick)
      lines.push({ ...line, history: true })
    }
    return lines
  }

  /** Handles one core event; returns true when the reliability state to save changed. */
  apply (event: ChannelEvent, now: number, out: RoomReady): boolean {
    switch (event.type) {
      case 'in:delivered': {
        const msg = event.message
        // Decisions were applied when their copy was checked; the rest is presence's.
        if (msg.kind === 'ephemeral') {
          const plain = this.readable(msg)
          if (plain !== undefined && decisionOf(plain.content) === undefined) this.presence.receive(plain.content, msg.senderId, now)
          return false
        }
        if (msg.kind !== 'content') return false
        this.arrived(msg.messageId, now)
        const line = this.line(msg, now)
        if (line === undefined) return false
        if (!line.own) {
          this.nicks.see(line.from, line.nick)
          const tag = this.nicks.tagFor(line.from, line.nick)
          if (tag === undefined) delete line.nickTag
          else line.nickTag = tag
        }
        if (event.outOfOrder) line.outOfOrder = true
        // Outside the final order it lies in: shown as late, not slid into settled history.
        if (line.final === true && this.lateArrival(msg)) {
          line.late = true
          delete line.final
          this.late.add(line.id)
          if (this.late.size > ARRIVALS_KEPT) this.late.delete(this.late.values().next().value as string)
        }
        if (event.gapBefore !== undefined && event.gapBefore.length > 0) line.gapBefore = event.gapBefore
        if (!line.own) out.persistDelivered.push(msg)
        out.events.push({ type: 'message', detail: line })
        return true
      }
      case 'out:acknowledged':
        this.outbox.setState(event.id, 'confirmed', out)
        return true
      case 'out:not-confirmed':
        this.outbox.setState(event.id, 'not-confirmed', out)
        return true // saved, so the mark survives a restart
      case 'in:lost':
        out.log.push(`declared lost: ${event.ids.join(', ')}`)
        return false
      default:
        return false
    }
  }

  /** The last nick seen from a peer (ourselves included). */
  nickOf (peerId: string): string | undefined { return this.nicks.nickOf(peerId) }

  /** A peer goes by `nick` now (its presence record, or our own nick). */
  seeNick (peerId: string, nick: string): void { this.nicks.see(peerId, nick) }

  /** Other peers that go by `nick`. */
  othersNamed (nick: string): string[] { return this.nicks.othersNamed(nick) }

  /** Every nick seen from others. */
  knownNicks (): string[] { const own = this.nicks.nickOf(this.selfId); return this.nicks.nicks().filter(n => n !== own || this.othersNamed(n).length > 0) }
}
