/**
 * The I/O shell of one room's committee member: it owns the Raft core and the certifier, turns
 * wall time into ticks, hands inbound frames to `step`, and carries out each `Ready` in Raft's
 * order (save, then send, then apply). Every success answer it sends carries its signature over
 * (room, term, index, digest); the leader gathers them into quorum certificates and passes the
 * newest to followers in its appends. A committed entry is applied only once a certificate covers
 * it. It knows nothing of what the commands mean; the room applies them.
 */
import { checkByPeerId } from './peer-signature.js'
import { P2pchatError } from '../errors.js'
import { Certifier, RaftCore, type AppendRequest, type ConsensusOptions, type Entry, type MemberId, type Message, type QuorumCertificate, type RaftStatus, type SignatureCheck, type Snapshot, type SoftState } from '../consensus/index.js'
import type { CommitteeStorage } from '../store/index.js'
import type { CommitteeFailure, CommitteeLinks } from './committee-protocol.js'

export { checkByPeerId }

/** How often the shell ticks the core: a fraction of the heartbeat, so timers fire on time. */
export const COMMITTEE_TICK_MS = 20

/**
 * A follower gets the leader's newest certificate again this often (an append carrying it may
 * have been lost), and a member repeats its signature for an unchanged (term, index) this often
 * (an answer carrying it may have been lost). Between repeats, an idle heartbeat carries neither:
 * at k = 15 that halves the leader's idle bytes (BENCHMARKS.md, "Committee").
 */
export const CERTIFICATE_RESEND_MS = 5_000

/** How often a member repeats its signature for an unchanged (term, index). */
export const SIGNATURE_RESEND_MS = 1_000

/** Bytes of the chained digest at the head of a snapshot's data (the application's state follows). */
const DIGEST_BYTES = 32

/** What a committee member needs. */
export interface CommitteeServiceInit {
  id: MemberId
  room: string
  /** The committee as this peer knows it when it starts (a joiner: the committee it is about to join, without itself); a restart uses what it saved. */
  members: readonly MemberId[]
  links: CommitteeLinks
  storage: CommitteeStorage
  /** Signs with this member's libp2p key (the one its peer id names). */
  sign: (payload: Uint8Array) => Uint8Array | Promise<Uint8Array>
  /** Checks a member's signature; by default with the public key its Ed25519 peer id carries. */
  check?: SignatureCheck
  consensus?: Partial<ConsensusOptions>
  now?: () => number
  /** A committed entry covered by a quorum certificate, in log order. */
  onCommitted?: (entry: Entry, certificate: QuorumCertificate) => void
  /** A snapshot of the application's state in place of the log (on start, or from the leader). */
  onSnapshot?: (index: number, data: Uint8Array) => void
  /** Role or leader changed. */
  onSoftState?: (state: SoftState) => void
}

/** One room's committee member, live. */
export class CommitteeService {
  private core?: RaftCore
  private readonly certifier: Certifier
  private timer?: ReturnType<typeof setInterval>
  private chain: Promise<void> = Promise.resolve()
  private readonly failures: Partial<Record<CommitteeFailure, number>> = {}
  private readonly now: () => number
  private storageFailed = false
  /** Committed entries waiting for a certificate. */
  private pending: Entry[] = []
  /** A certificate a leader offered, to check once the entries it covers are saved. */
  private offered?: QuorumCertificate
  private lastSigned?: { term: number, index: number, signature: Uint8Array }
  /** When this member last put its signature for `lastSigned` on an answer, by recipient. */
  private readonly signatureSent = new Map<MemberId, number>()
  private readonly certificateSent = new Map<MemberId, { index: number, at: number }>()

  constructor (private readonly init: CommitteeServiceInit) {
    this.now = init.now ?? Date.now
    this.certifier = new Certifier(init.room, init.check ?? checkByPeerId)
  }

  /** Loads the saved state, starts the core, and listens. */
  async start (): Promise<void> {
    const storage = await this.init.storage.load()
    this.core = new RaftCore({ ...this.init.consensus, id: this.init.id, members: this.init.members, storage }, this.now())
    if (storage.snapshot !== undefined) this.installed(storage.snapshot)
    this.certifier.saved(storage.entries ?? [])
    this.init.links.attach({
      room: this.init.room,
      deliver: message => { this.input(core => { this.received(core, message) }) },
      failed: reason => { this.failures[reason] = (this.failures[reason] ?? 0) + 1 }
    })
    this.timer = setInterval(() => { this.input(core => { core.tick(this.now()) }) }, COMMITTEE_TICK_MS)
    this.timer.unref?.()
  }

  /** Stops ticking; what is being saved finishes. */
  async stop (): Promise<void> {
    if (this.timer !== undefined) clearInterval(this.timer)
    this.timer = undefined
    await this.chain
  }

  /** Polls for leadership now instead of waiting out the election timeout. */
  campaign (): void {
    this.input(core => { core.campaignNow(this.now()) })
  }

  /** Proposes a command (leader only; throws NOT_LEADER otherwise); returns its index. */
  propose (data: Uint8Array): number {
    const index = this.started().propose(data)
    this.flush()
    return index
  }

  /**
   * Adds or removes one member (leader only). Refused (CHANGE_PENDING) until a certificate covers
   * the previous change, so each certificate spans at most one change and anyone who knows the
   * committee can follow it from certificates alone.
   */
  changeMembers (members: readonly MemberId[]): number {
    const core = this.started()
    if (core.latestConfigIndex > this.certifier.certifiedIndex) throw new P2pchatError('CHANGE_PENDING', 'the previous change of members is not certified yet; try again in a moment')
    const index = core.changeMembers(members)
    this.flush()
    return index
  }

  /**
   * Replaces the log up to `index` (applied) by the application's state there; the snapshot is
   * saved before this resolves.
   */
  async compact (index: number, appState: Uint8Array): Promise<void> {
    const digest = this.certifier.digestAt(index)
    if (digest === undefined) throw new Error(`committee: no digest at ${index} to compact`)
    const data = new Uint8Array(DIGEST_BYTES + appState.byteLength)
    data.set(digest, 0)
    data.set(appState, DIGEST_BYTES)
    const snapshot = this.started().compact(index, data)
    this.certifier.compacted(index)
    this.chain = this.chain.then(async () => { await this.init.storage.compacted(snapshot) })
    await this.chain
  }

  /** The core's status, with the certified index and the protocol's drops. */
  status (): RaftStatus & { certified: number, refusedSignatures: number, failures: Partial<Record<CommitteeFailure, number>>, storageFailed: boolean } {
    return { ...this.started().status(), certified: this.certifier.certifiedIndex, refusedSignatures: this.certifier.refused, failures: { ...this.failures }, storageFailed: this.storageFailed }
  }

  private started (): RaftCore {
    if (this.core === undefined) throw new Error('committee: not started')
    return this.core
  }

  private received (core: RaftCore, message: Message): void {
    if (message.type === 'append' && message.certificate !== undefined) this.offered = message.certificate
    if (message.type === 'append-response' && message.success && message.signature !== undefined && core.status().role === 'leader') {
      if (this.certifier.endorse(message.from, message.term, message.index, message.signature, core.configAt(message.index))) this.applyCertified()
    }
    core.step(message, this.now())
  }

  private input (apply: (core: RaftCore) => void): void {
    if (this.core === undefined || this.timer === undefined) return
    apply(this.core)
    this.flush()
  }

  /** Carries out everything ready, in order: each Ready is saved before its messages go out. */
  private flush (): void {
    const core = this.core
    if (core === undefined || !core.hasReady()) return
    const ready = core.ready()
    this.chain = this.chain.then(async () => {
      if (ready.snapshot !== undefined || ready.entries.length > 0 || ready.hardState !== undefined) await this.init.storage.save(ready)
      if (ready.snapshot !== undefined) this.installed(ready.snapshot)
      this.certifier.saved(ready.entries)
      const status = core.status()
      if (status.role === 'leader') {
        const committee = core.configAt(status.lastIndex)
        const signature = await this.signed(status.term, status.lastIndex)
        if (signature !== undefined && this.certifier.endorse(this.init.id, status.term, status.lastIndex, signature, committee)) this.applyCertified()
      }
      if (this.offered !== undefined && this.certifier.accept(this.offered, core.configAt(this.offered.index))) this.offered = undefined
      for (const m of ready.messages) this.init.links.send(this.init.room, await this.decorate(m))
      this.pending.push(...ready.committed)
      this.applyCertified()
      if (ready.softState !== undefined) this.init.onSoftState?.(ready.softState)
    }).catch(() => {
      // A member that cannot save cannot keep Raft's promises: it stops, its messages unsent.
      this.storageFailed = true
      if (this.timer !== undefined) clearInterval(this.timer)
      this.timer = undefined
    })
  }

  /** Adds this member's signature to a success answer, and the newest certificate to an append. */
  private async decorate (m: Message): Promise<Message> {
    if (m.type === 'append-response' && m.success) {
      const before = this.lastSigned
      const signature = await this.signed(m.term, m.index)
      if (signature === undefined) return m
      const now = this.now()
      const sentAt = this.signatureSent.get(m.to)
      if (before === this.lastSigned && sentAt !== undefined && now - sentAt < SIGNATURE_RESEND_MS) return m
      this.signatureSent.set(m.to, now)
      return { ...m, signature }
    }
    if (m.type === 'append') return this.withCertificate(m)
    return m
  }

  private withCertificate (m: AppendRequest): AppendRequest {
    const certificate = this.certifier.certificate
    if (certificate === undefined) return m
    const sent = this.certificateSent.get(m.to)
    const now = this.now()
    if (sent !== undefined && sent.index >= certificate.index && now - sent.at < CERTIFICATE_RESEND_MS) return m
    this.certificateSent.set(m.to, { index: certificate.index, at: now })
    return { ...m, certificate }
  }

  /** This member's signature vouching for its log up to `index` in `term` (the last one reused). */
  private async signed (term: number, index: number): Promise<Uint8Array | undefined> {
    const last = this.lastSigned
    if (last !== undefined && last.term === term && last.index === index) return last.signature
    const payload = this.certifier.payload(term, index)
    if (payload === undefined) return undefined
    const signature = await this.init.sign(payload)
    this.lastSigned = { term, index, signature }
    return signature
  }

  private applyCertified (): void {
    const certificate = this.certifier.certificate
    if (certificate === undefined) return
    let applied = 0
    while (applied < this.pending.length && this.pending[applied].index <= certificate.index) {
      this.init.onCommitted?.(this.pending[applied], certificate)
      applied++
    }
    if (applied > 0) this.pending = this.pending.slice(applied)
  }

  /** A snapshot's data is the chained digest at its index, then the application's state. */
  private installed (snapshot: Snapshot): void {
    this.certifier.restored(snapshot.index, snapshot.data.subarray(0, DIGEST_BYTES))
    this.pending = this.pending.filter(e => e.index > snapshot.index)
    this.init.onSnapshot?.(snapshot.index, snapshot.data.subarray(DIGEST_BYTES))
  }
}
