/**
 * The I/O shell of direct messages: it owns the pure `DirectCore`, signs what it sends with the
 * profile's key, checks what arrives against the sender's key, and carries each `ready()` out in
 * order: own lines written (with fsync) before they are sent, attempts over `/p2pchat/dm/1.0.0`
 * (dialing through peer routing and relays when not connected), states and deliveries stored and
 * shown. A timer drives retries; a newly connected peer gets what waits for it at once.
 */
import { lpStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Connection, PeerId, PrivateKey, Stream } from '@libp2p/interface'
import {
  decodeDirectAck, decodeDirectBatch, DIRECT_LIMITS, DIRECT_RATE_BURST, DIRECT_RATE_PER_SECOND, DIRECT_RATE_SENDERS, DirectCore, directSigningBytes, encodeDirectAck, encodeDirectBatch, encodeDirectMessage,
  type DirectLine, type DirectMessage, type DirectReady
} from '../direct/index.js'
import type { ChatNode } from '../node/create-node.js'
import { openStreamTo } from '../node/newest-connection.js'
import type { DirectStore } from '../store/index.js'
import { limitedLengthDecoder } from '../wire/index.js'
import { P2pchatError } from '../errors.js'
import { TokenBuckets } from '../shared/index.js'

/** The direct-message protocol id. */
export const DIRECT_PROTOCOL = '/p2pchat/dm/1.0.0'

/** How long one attempt (dial, send, acknowledgement) may take. */
export const DIRECT_ATTEMPT_TIMEOUT_MS = 10_000

/** How often the retry timer ticks. */
const TICK_MS = 1_000

/** Lines kept in memory per conversation, and conversations kept in memory (the store keeps them all). */
const LINES_KEPT = 500
const CONVERSATIONS_KEPT = 1_000

/** What the service needs. */
export interface DirectServiceInit {
  node: ChatNode
  privateKey: PrivateKey
  store?: DirectStore
  now: () => number
  nick: () => string
  log: (line: string) => void
  /** A line to show (own at send, others' at delivery; not called for ignored peers). */
  line: (line: DirectLine) => void
  /** An own line's new state. */
  state: (change: { id: string, peer: string, state: DirectLine['state'] & string }) => void
  /** A dropped input, by reason. */
  drop: (reason: string) => void
}

type Framed = ReturnType<typeof lpStream<Stream>>
const framed = (stream: Stream): Framed => lpStream(stream, { maxDataLength: DIRECT_LIMITS.maxBatchBytes, lengthDecoder: limitedLengthDecoder(DIRECT_LIMITS.maxBatchBytes) })

/** One profile's direct messages, live. */
export class DirectService {
  private readonly core: DirectCore
  private readonly rate = new TokenBuckets(DIRECT_RATE_BURST, 1000 / DIRECT_RATE_PER_SECOND, DIRECT_RATE_SENDERS)
  private readonly signed = new Map<string, { bytes: Uint8Array, signature: Uint8Array }>()
  private readonly lines = new Map<string, DirectLine[]>()
  private readonly ignoredPeers = new Set<string>()
  private writes: Promise<void> = Promise.resolve()
  private timer?: ReturnType<typeof setInterval>
  private stopped = false
  private readonly onConnect = (evt: CustomEvent<PeerId>): void => { this.input(now => { this.core.seen(evt.detail.toString(), now) }) }

  constructor (private readonly init: DirectServiceInit) {
    this.core = new DirectCore(init.node.peerId.toString(), init.now())
  }

  private get self (): string { return this.init.node.peerId.toString() }

  /** Restores the saved state, conversations and ignore list; starts serving and retrying. */
  async start (): Promise<void> {
    const store = this.init.store
    if (store !== undefined) {
      const saved = await store.loadState()
      if (saved !== undefined) this.core.restore(saved)
      for (const peer of await store.loadIgnored()) this.ignoredPeers.add(peer)
      for (const { peer } of await store.conversations()) this.lines.set(peer, await store.history(peer, LINES_KEPT))
    }
    await this.init.node.handle(DIRECT_PROTOCOL, (stream, connection) => { void this.serve(stream, connection) }, { maxInboundStreams: 8, runOnLimitedConnection: true })
    this.init.node.addEventListener('peer:connect', this.onConnect)
    this.timer = setInterval(() => { this.input(now => { this.core.tick(now) }) }, TICK_MS)
    this.timer.unref?.()
    this.input(now => { this.core.tick(now) })
  }

  /** Stops serving and retrying; writes under way finish. */
  async stop (): Promise<void> {
    this.stopped = true
    clearInterval(this.timer)
    this.init.node.removeEventListener('peer:connect', this.onConnect)
    await this.init.node.unhandle(DIRECT_PROTOCOL).catch(() => {})
    await this.writes.catch(() => {})
  }

  /** Sends `text` to `peer`; the line is returned (pending) and shown at once. */
  send (peer: string, text: string, action: boolean): DirectLine {
    if (text.trim().length === 0) throw new P2pchatError('INVALID_COMMAND', 'a direct message needs some text')
    if (text.length > DIRECT_LIMITS.maxTextLength) throw new P2pchatError('INVALID_COMMAND', `message too long (${text.length} characters, at most ${DIRECT_LIMITS.maxTextLength})`)
    if (peer === this.self) throw new P2pchatError('INVALID_COMMAND', 'that is you: a direct message goes to someone else')
    try { peerIdFromString(peer) } catch { throw new P2pchatError('INVALID_COMMAND', `not a peer id: ${peer.slice(0, 60)}`) }
    const now = this.init.now()
    const message = this.core.send({ to: peer, sentAt: now, nick: this.init.nick(), text, action }, now)
    const line: DirectLine = { ...message, own: true, state: 'pending', receivedAt: now, peer }
    this.keep(line)
    this.init.line(line)
    // Written durably before it may go out: the attempt below waits for this write.
    this.write(async store => { await store.append(line, true) })
    this.flush()
    return line
  }

  /** The last `limit` lines with `peer`, oldest first. */
  history (peer: string, limit: number): DirectLine[] { return (this.lines.get(peer) ?? []).slice(-limit) }

  /** Conversations, newest first. */
  conversations (): Array<{ peer: string, nick?: string, last: number, pending: number }> {
    return [...this.lines].map(([peer, lines]) => {
      const theirs = [...lines].reverse().find(l => !l.own)
      return { peer, ...(theirs === undefined ? {} : { nick: theirs.nick }), last: lines[lines.length - 1]?.receivedAt ?? 0, pending: this.core.pendingTo(peer) }
    }).sort((a, b) => b.last - a.last)
  }

  /** Stops showing `peer`. */
  ignore (peer: string): void { this.ignoredPeers.add(peer); this.write(async store => { await store.saveIgnored([...this.ignoredPeers]) }) }
  /** Shows `peer` again. */
  unignore (peer: string): void { this.ignoredPeers.delete(peer); this.write(async store => { await store.saveIgnored([...this.ignoredPeers]) }) }
  /** Ignored peers. */
  ignored (): string[] { return [...this.ignoredPeers] }

  private input (step: (now: number) => void): void {
    if (this.stopped) return
    step(this.init.now())
    this.flush()
  }

  private write (task: (store: DirectStore) => Promise<void>): void {
    const store = this.init.store
    if (store === undefined) return
    this.writes = this.writes.then(async () => { await task(store) }).catch((err: Error) => { this.init.log(`storing a direct message failed: ${err.message}`) })
  }

  /** Carries out the core's output. */
  private flush (): void {
    const ready: DirectReady = this.core.ready()
    for (const reason of ready.drops) this.init.drop(reason)
    for (const m of ready.delivered) this.delivered(m)
    for (const change of ready.states) {
      const line = this.lines.get(change.peer)?.find(l => l.id === change.id)
      if (line !== undefined) line.state = change.state
      this.write(async store => { await store.setState(change.id, change.peer, change.state) })
      this.init.state(change)
    }
    if (ready.saveState) {
      const snapshot = this.core.snapshot()
      // Durably before an own message goes out, and before a delivery is acknowledged (a synced
      // write makes the writes before it durable too).
      this.write(async store => { await store.saveState(snapshot, ready.sends.length > 0 || ready.delivered.length > 0) })
    }
    for (const send of ready.sends) void this.attempt(send.to, send.messages)
  }

  private delivered (m: DirectMessage): void {
    const line: DirectLine = { ...m, own: false, receivedAt: this.init.now(), peer: m.from }
    this.keep(line)
    this.write(async store => { await store.append(line) })
    if (!this.ignoredPeers.has(m.from)) this.init.line(line)
  }

  private keep (line: DirectLine): void {
    const list = this.lines.get(line.peer) ?? []
    list.push(line)
    if (list.length > LINES_KEPT) list.shift()
    // Most recent conversation last; past the cap the oldest leaves memory (the store keeps it).
    this.lines.delete(line.peer)
    this.lines.set(line.peer, list)
    if (this.lines.size > CONVERSATIONS_KEPT) this.lines.delete(this.lines.keys().next().value as string)
  }

  /** One attempt: the batch, signed, after the writes it depends on; the acknowledgement back to the core. */
  private async attempt (to: string, messages: DirectMessage[]): Promise<void> {
    try {
      await this.writes
      const batch = encodeDirectBatch(await Promise.all(messages.map(async m => await this.sign(m))))
      const signal = AbortSignal.timeout(DIRECT_ATTEMPT_TIMEOUT_MS)
      const stream = await openStreamTo(this.init.node, peerIdFromString(to), DIRECT_PROTOCOL, signal)
      try {
        const lp = framed(stream)
        await lp.write(batch, { signal })
        const ack = decodeDirectAck((await lp.read({ signal })).subarray())
        await stream.close({ signal }).catch(() => {})
        if (ack === undefined) throw new Error('a garbled acknowledgement')
        if (ack.refusal !== undefined) this.init.log(`direct message to ${to} refused: ${ack.refusal}`)
        this.input(now => { this.core.answered(to, ack, now) })
      } catch (err) {
        stream.abort(err as Error)
        throw err
      }
    } catch (err) {
      this.init.log(`direct message to ${to} not delivered yet: ${(err as Error).message}`)
      this.input(now => { this.core.failed(to, now) })
    }
  }

  private async sign (m: DirectMessage): Promise<{ bytes: Uint8Array, signature: Uint8Array }> {
    const cached = this.signed.get(m.id)
    if (cached !== undefined) return cached
    const bytes = encodeDirectMessage(m)
    const signed = { bytes, signature: await this.init.privateKey.sign(directSigningBytes(bytes)) }
    this.signed.set(m.id, signed)
    if (this.signed.size > 1_000) this.signed.delete(this.signed.keys().next().value as string)
    return signed
  }

  /** Answers one inbound batch: checked, rate-limited, verified, delivered in order, acknowledged. */
  private async serve (stream: Stream, connection: Connection): Promise<void> {
    const sender = connection.remotePeer.toString()
    const signal = AbortSignal.timeout(DIRECT_ATTEMPT_TIMEOUT_MS)
    try {
      const lp = framed(stream)
      const decoded = decodeDirectBatch((await lp.read({ signal })).subarray())
      let answer: Uint8Array
      if (!decoded.ok) {
        this.init.drop(`direct-${decoded.reason}`)
        answer = encodeDirectAck({ epoch: 0, seq: 0, refusal: decoded.detail })
      } else {
        // Over the sender's rate, only the first messages are taken (and acknowledged); the
        // sender sends the rest again later, so nothing is lost.
        const granted = this.rate.takeUpTo(sender, decoded.messages.length, this.init.now())
        const taken = decoded.messages.slice(0, granted)
        if (granted < decoded.messages.length) this.init.drop('direct-rate-limited')
        if (taken.length === 0) {
          answer = encodeDirectAck({ epoch: 0, seq: 0, refusal: 'too many messages; slow down' })
        } else if (!await this.verified(sender, taken)) {
          answer = encodeDirectAck({ epoch: 0, seq: 0, refusal: 'a message whose signature or addresses do not check out' })
        } else {
          let ack = { epoch: 0, seq: 0 }
          this.input(() => { ack = this.core.receive(sender, taken.map(m => m.message)) })
          // Acknowledged only once what it covers is on disk (the sender then forgets it).
          await this.writes
          answer = encodeDirectAck(ack)
        }
      }
      await lp.write(answer, { signal })
      await stream.close({ signal })
    } catch (err) {
      stream.abort(err as Error)
    }
  }

  /** Every message is from the connection's peer, to us, and signed by its sender's key. */
  private async verified (sender: string, messages: ReadonlyArray<{ message: DirectMessage, bytes: Uint8Array, signature: Uint8Array }>): Promise<boolean> {
    let key
    try { key = peerIdFromString(sender).publicKey } catch { key = undefined }
    for (const m of messages) {
      if (m.message.from !== sender || m.message.to !== this.self) { this.init.drop('direct-forged'); return false }
      if (key === undefined || await key.verify(directSigningBytes(m.bytes), m.signature) !== true) { this.init.drop('direct-bad-signature'); return false }
    }
    return true
  }
}
