/**
 * RainTree as a broadcast path (issue 17, Pocket Network's design): a structured fan-out over
 * the room's members sorted by SHA-256 of their peer ids, beside gossipsub. The pure
 * `RainTreeCore` picks targets, dedups, and replaces a target that does not ACK in time; this
 * shell carries its output over `/p2pchat/raintree/1.0.0` and runs its ACK timer.
 *
 * A copy is the original signed record of the message (as repair answers carry it), so a
 * forwarder can neither forge nor alter it. A received copy goes through the room's gate (dedup
 * by message id before any signature check, then the payload and signature checks); one that
 * fails them is dropped, counted, not ACKed and not forwarded. A message the room already has
 * (from gossipsub, say) is forwarded down the tree with the record the room holds.
 */
import { randomBytes } from 'node:crypto'
import { lpStream } from '@libp2p/utils'
import type { Connection, PrivateKey, Stream } from '@libp2p/interface'
import { RainTreeCore, RainTreeView, type RainTreeOptions, type RainTreeReady } from '../raintree/index.js'
import type { ChatNode } from '../node/create-node.js'
import type { ReliableMessage } from '../reliability/index.js'
import { bytesToHex, decodeChatMessage, limitedLengthDecoder } from '../wire/index.js'
import type { BroadcastPath, PathHandler } from './broadcast-path.js'
import { decodeEnvelope, encodeAck, encodeEnvelope, MAX_RAINTREE_FRAME_BYTES, RAINTREE_NONCE_BYTES, RAINTREE_PROTOCOL } from './raintree-codec.js'
import { RainTreeLinks } from './raintree-links.js'
import { signRecord, type SignedRecord } from './signed-record.js'

/** Options of the RainTree path. */
export interface RainTreePathOptions {
  /** The core's tuning (ACK timeout, redundancy layer, memory bounds). */
  core: Partial<RainTreeOptions>
  /** Outbound streams kept at once. @default 32 */
  maxLinks: number
  /** Records kept to forward (the newest). @default 4096 */
  recordsKept: number
  /** Forward and ACK (false: a peer that receives but never forwards, for tests and benchmarks). @default true */
  forward: boolean
}

/** Defaults of RainTreePathOptions. */
export const DEFAULT_RAINTREE_PATH_OPTIONS: RainTreePathOptions = { core: {}, maxLinks: 32, recordsKept: 4096, forward: true }

/** What the path needs of its room. */
export interface RainTreeRoom {
  /** The room's members as this peer knows them (topic peers and the presence roster). */
  members: () => Iterable<string>
  /** Current time (ms). */
  now: () => number
}

/** The RainTree broadcast path of one room. */
export class RainTreePath implements BroadcastPath {
  readonly name = 'raintree'
  private readonly core: RainTreeCore
  private readonly links: RainTreeLinks
  private readonly options: RainTreePathOptions
  private handler?: PathHandler
  /** Records to forward, by message id (the newest `recordsKept`). */
  private readonly records = new Map<string, SignedRecord>()
  /** Envelopes sent and awaiting their ACK: nonce (hex) → message id and peer. */
  private readonly awaiting = new Map<string, { messageId: string, peer: string }>()
  private membersKey = ''
  private timer?: ReturnType<typeof setTimeout>
  private timerAt = Number.POSITIVE_INFINITY
  private seqno = BigInt(Date.now()) * 1_000_000n
  /** Copies refused (forged, malformed, wrong topic) and other counts, for `/status` and benchmarks. */
  readonly counters = { received: 0, forwarded: 0, acksReceived: 0, refused: 0, sent: 0 }

  constructor (
    private readonly node: ChatNode,
    private readonly topic: string,
    private readonly privateKey: PrivateKey,
    private readonly room: RainTreeRoom,
    options: Partial<RainTreePathOptions> = {}
  ) {
    this.options = { ...DEFAULT_RAINTREE_PATH_OPTIONS, ...options }
    this.core = new RainTreeCore(RainTreeView.of(node.peerId.toString(), []), this.options.core)
    this.links = new RainTreeLinks(node, this.options.maxLinks,
      (peer, nonce) => { this.onAck(peer, nonce) },
      () => {})
  }

  async start (handler: PathHandler): Promise<void> {
    this.handler = handler
    await this.node.handle(RAINTREE_PROTOCOL, (stream: Stream, connection: Connection) => { void this.serve(stream, connection) }, { runOnLimitedConnection: true })
  }

  async publish (msg: ReliableMessage, bytes: Uint8Array): Promise<number> {
    const record = await signRecord(this.privateKey, this.node.peerId, this.topic, bytes, this.nextSeqno())
    this.keep(msg.messageId, record)
    this.refreshView()
    this.core.broadcast(msg.messageId, this.room.now())
    const out = this.core.ready()
    this.carryOut(out)
    return new Set(out.sends.map(s => s.to)).size
  }

  peers (): string[] {
    return []
  }

  canSendTo (_peerId: string): boolean {
    return false
  }

  async stop (): Promise<void> {
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timer = undefined
    this.handler = undefined
    this.links.closeAll()
    await this.node.unhandle(RAINTREE_PROTOCOL).catch(() => {})
  }

  /** Outbound streams open now. */
  get linkCount (): number { return this.links.size }

  /** The core's running totals. */
  coreCounters (): ReturnType<RainTreeCore['snapshotCounters']> { return this.core.snapshotCounters() }

  /** Serves one inbound stream: envelopes in, ACKs out, until it ends. */
  private async serve (stream: Stream, connection: Connection): Promise<void> {
    const from = connection.remotePeer.toString()
    const lp = lpStream(stream, { maxDataLength: MAX_RAINTREE_FRAME_BYTES, lengthDecoder: limitedLengthDecoder(MAX_RAINTREE_FRAME_BYTES) })
    try {
      while (this.handler !== undefined) {
        const frame = await lp.read()
        const ack = await this.take(frame.subarray(), from)
        if (ack !== undefined) await lp.write(encodeAck(ack))
      }
    } catch {
      // The stream ended or broke: the sender's timeouts cover what was on it.
    } finally {
      stream.close().catch(() => { stream.abort(new Error('closed')) })
    }
  }

  /** Takes one envelope from `from`; returns the nonce to ACK, if any. */
  private async take (bytes: Uint8Array, from: string): Promise<Uint8Array | undefined> {
    const handler = this.handler
    if (handler === undefined) return undefined
    this.counters.received++
    const decoded = decodeEnvelope(bytes)
    if (!decoded.ok) { this.refuse('raintree-malformed'); return undefined }
    const { record, layer, nonce, adjustment, redundancy } = decoded.envelope
    if (record.topic !== this.topic) { this.refuse('raintree-wrong-topic'); return undefined }
    const wire = decodeChatMessage(record.data)
    if (!wire.ok) { this.refuse('raintree-malformed'); return undefined }
    const messageId = wire.value.messageId
    // A message the room holds is forwarded with the room's record; a new one only once the gate checked it.
    let held = this.records.get(messageId)
    if (held === undefined) {
      const copy = await handler.verify(record)
      if (copy !== undefined) {
        held = record
        handler.deliver(copy)
      } else {
        held = this.records.get(messageId)
        // Not new and not held (a copy still being checked elsewhere, or a forgery): not forwarded.
        if (held === undefined) { this.refuse('raintree-refused'); return undefined }
      }
    }
    this.keep(messageId, held)
    if (!this.options.forward) return undefined
    this.refreshView()
    this.core.receive(messageId, from, layer, this.room.now(), { adjustment, redundancy })
    const out = this.core.ready()
    const ackNow = out.acks.some(a => a.to === from && a.messageId === messageId)
    this.carryOut({ ...out, acks: out.acks.filter(a => !(a.to === from && a.messageId === messageId)) })
    return ackNow ? nonce : undefined
  }

  private refuse (reason: string): void {
    this.counters.refused++
    this.handler?.drop(reason)
  }

  /** Sends the core's copies (ACKs go back on the stream the copy came on), and arms the timer. */
  private carryOut (out: RainTreeReady): void {
    for (const send of out.sends) {
      const record = this.records.get(send.messageId)
      if (record === undefined) continue
      const nonce = new Uint8Array(randomBytes(RAINTREE_NONCE_BYTES))
      if (!send.adjustment && !send.redundancy) {
        this.awaiting.set(bytesToHex(nonce), { messageId: send.messageId, peer: send.to })
        if (this.awaiting.size > this.options.recordsKept * 4) this.awaiting.delete(this.awaiting.keys().next().value as string)
      }
      this.counters.sent++
      this.links.send(send.to, encodeEnvelope({ record, layer: send.layer, nonce, adjustment: send.adjustment, redundancy: send.redundancy }))
    }
    this.arm()
  }

  private onAck (peer: string, nonce: Uint8Array): void {
    const key = bytesToHex(nonce)
    const sent = this.awaiting.get(key)
    if (sent === undefined || sent.peer !== peer) return
    this.awaiting.delete(key)
    this.counters.acksReceived++
    this.core.ack(sent.messageId, peer, this.room.now())
  }

  /** A one-shot timer at the core's next ACK deadline. */
  private arm (): void {
    const at = this.core.nextDeadline()
    if (at === undefined || at >= this.timerAt) return
    if (this.timer !== undefined) clearTimeout(this.timer)
    this.timerAt = at
    this.timer = setTimeout(() => {
      this.timer = undefined
      this.timerAt = Number.POSITIVE_INFINITY
      if (this.handler === undefined) return
      this.refreshView()
      this.core.tick(this.room.now())
      this.carryOut(this.core.ready())
    }, Math.max(0, at - this.room.now()))
    this.timer.unref?.()
  }

  /** Rebuilds the view when the room's members changed. */
  private refreshView (): void {
    const members = [...new Set(this.room.members())].sort()
    const key = members.join(',')
    if (key === this.membersKey) return
    this.membersKey = key
    this.core.setView(RainTreeView.of(this.node.peerId.toString(), members))
  }

  /** Keeps the signed record of a message another path delivered, to forward it down the tree. */
  remember (messageId: string, record: SignedRecord): void {
    this.keep(messageId, record)
  }

  private keep (messageId: string, record: SignedRecord): void {
    this.records.delete(messageId)
    this.records.set(messageId, record)
    if (this.records.size > this.options.recordsKept) this.records.delete(this.records.keys().next().value as string)
  }

  private nextSeqno (): Uint8Array {
    this.seqno++
    const out = new Uint8Array(8)
    new DataView(out.buffer).setBigUint64(0, this.seqno)
    return out
  }
}
