/**
 * The I/O half of repair: runs the driver's pull attempts over the repair protocol
 * (verifying each answered record through the inbound gate), and answers other peers'
 * pulls from memory, then from disk, with signed records. Remembers the signed record
 * of every message it may have to serve.
 */
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId, PrivateKey } from '@libp2p/interface'
import type { ReliableMessage } from '../reliability/index.js'
import type { ChatNode } from '../node/create-node.js'
import type { ChatStore } from '../store/index.js'
import { encodeChatMessage } from '../wire/index.js'
import { toWireMessage } from './core-adapter.js'
import type { DropCounter } from './drop-counter.js'
import type { RoomDriver } from './driver.js'
import type { PullAsk, PullAttempt } from './driver-types.js'
import type { InboundGate } from './inbound-gate.js'
import { classifyRepairFailure, handleRepair, pullFrom } from './repair-protocol.js'
import { signRecord, type SignedRecord } from './signed-record.js'

/** What the repair service needs from its room. */
export interface RepairContext {
  node: ChatNode
  privateKey: PrivateKey
  topic: string
  driver: RoomDriver
  gate: InboundGate
  drops: DropCounter
  store?: ChatStore
  pullTimeoutMs: number
  /** Fault injection: true when this attempt's request or answer is lost (it then fails after the pull timeout). */
  lossy?: () => boolean
  now: () => number
  log: (line: string) => void
  /** Applies the driver's output after an input. */
  flush: () => void
}

/** Pulls and pull answers of one room. */
export class RepairService {
  private readonly records = new WeakMap<ReliableMessage, SignedRecord>()
  private unhandle?: () => Promise<void>
  /** Set by `stop`: outcomes of attempts still on their way are then ignored. Pulls may run before `start` (which only serves). */
  private stopped = false
  private readonly lossTimers = new Set<ReturnType<typeof setTimeout>>()
  /** Records served to other peers. */
  pullsServed = 0

  constructor (private readonly ctx: RepairContext) {}

  /** Registers the repair protocol's server side. */
  async start (): Promise<void> {
    this.unhandle = await handleRepair(this.ctx.node, async (ask, maxBytes) => await this.answer(ask, maxBytes),
      this.ctx.pullTimeoutMs, n => { this.pullsServed += n }, reason => { this.ctx.drops.add(`repair-${reason}`) })
  }

  /** Unregisters it; answers still on their way are ignored. */
  async stop (): Promise<void> {
    this.stopped = true
    for (const timer of this.lossTimers) clearTimeout(timer)
    this.lossTimers.clear()
    await this.unhandle?.().catch(() => {})
  }

  /** Keeps the signed record of a message for later answers and storage. */
  remember (msg: ReliableMessage, record: SignedRecord): void {
    this.records.set(msg, record)
  }

  /** The signed record of a message, when one is known. */
  recordOf (msg: ReliableMessage): SignedRecord | undefined {
    return this.records.get(msg)
  }

  /** Makes one pull attempt and reports its outcome to the driver. */
  attempt (attempt: PullAttempt): void {
    if (this.ctx.lossy?.() === true) {
      // Injected loss: the request or its answer never arrives, so the attempt times out.
      const timer = setTimeout(() => { this.lossTimers.delete(timer); this.failed(attempt.pullId) }, this.ctx.pullTimeoutMs)
      this.lossTimers.add(timer)
      return
    }
    void this.run(attempt)
  }

  private async run ({ pullId, target, ask }: PullAttempt): Promise<void> {
    let peer: PeerId
    try { peer = peerIdFromString(target) } catch { this.failed(pullId); return }
    try {
      const records = await pullFrom(this.ctx.node, peer, ask, this.ctx.pullTimeoutMs)
      const copies = await Promise.all(records.map(async record => await this.ctx.gate.verify(record)))
      if (this.stopped) return
      const messages: ReliableMessage[] = []
      for (const copy of copies) {
        if (copy === undefined) continue
        this.records.set(copy.msg, copy.record)
        messages.push(copy.msg)
      }
      this.ctx.driver.pullAnswered(pullId, messages, target, this.ctx.now(), records.length > 0)
      this.ctx.flush()
    } catch (err) {
      // A garbled answer is the answering peer's fault, counted; a timeout or a dial failure is the network's.
      const failure = classifyRepairFailure(err)
      if (failure.startsWith('malformed') || failure === 'oversized-frame') this.ctx.drops.add(`repair-${failure}`)
      this.ctx.log(`pull from ${target} failed: ${(err as Error).message}`)
      this.failed(pullId)
    }
  }

  private failed (pullId: number): void {
    if (this.stopped) return
    this.ctx.driver.pullFailed(pullId, this.ctx.now())
    this.ctx.flush()
  }

  private async answer (ask: PullAsk, maxBytes: number): Promise<SignedRecord[]> {
    const { messages, missing } = this.ctx.driver.answerPull(ask)
    const store = this.ctx.store
    const fromDisk = missing.length > 0 && store !== undefined
      ? (await store.getMessages(this.ctx.topic, missing).catch(() => [])).map(entry => {
          if (entry.signed !== undefined && !this.records.has(entry.message)) this.records.set(entry.message, { ...entry.signed, topic: this.ctx.topic })
          return entry.message
        })
      : []
    const out: SignedRecord[] = []
    let bytes = 0
    // A banned peer's messages are not handed on from disk either.
    for (const msg of [...messages, ...fromDisk.filter(m => !this.ctx.driver.decisions.governance.isBanned(m.senderId))]) {
      const record = this.records.get(msg) ?? await this.signOwn(msg)
      if (record === undefined) continue
      bytes += record.data.byteLength + record.signature.byteLength + record.from.byteLength + 32
      if (bytes > maxBytes) break
      out.push(record)
    }
    return out
  }

  private async signOwn (msg: ReliableMessage): Promise<SignedRecord | undefined> {
    if (msg.senderId !== this.ctx.driver.selfId) return undefined
    const self = this.ctx.node.peerId
    const seqno = new Uint8Array(8)
    new DataView(seqno.buffer).setBigUint64(0, BigInt(msg.lamport), false)
    const record = await signRecord(this.ctx.privateKey, self, this.ctx.topic, encodeChatMessage(toWireMessage(msg, self)), seqno)
    this.records.set(msg, record)
    return record
  }
}
