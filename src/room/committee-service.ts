/**
 * The I/O shell of one room's committee member: it owns the Raft core, turns wall time into
 * ticks, hands inbound frames to `step`, and carries out each `Ready` in Raft's order (save,
 * then send, then apply). It knows nothing of what the commands mean; the room applies them.
 */
import { RaftCore, type ConsensusOptions, type Entry, type MemberId, type Message, type RaftStatus, type Snapshot, type SoftState } from '../consensus/index.js'
import type { CommitteeFailure, CommitteeLinks } from './committee-protocol.js'
import type { CommitteeStorage } from '../store/index.js'

/** How often the shell ticks the core: a fraction of the heartbeat, so timers fire on time. */
export const COMMITTEE_TICK_MS = 20

/** What a committee member needs. */
export interface CommitteeServiceInit {
  id: MemberId
  room: string
  /** The initial member list (a restart uses what it saved). */
  members: readonly MemberId[]
  links: CommitteeLinks
  storage: CommitteeStorage
  consensus?: Partial<ConsensusOptions>
  now?: () => number
  /** A committed entry, in log order. */
  onCommitted?: (entry: Entry) => void
  /** A leader's snapshot installed in place of the log. */
  onSnapshot?: (snapshot: Snapshot) => void
  /** Role or leader changed. */
  onSoftState?: (state: SoftState) => void
}

/** One room's committee member, live. */
export class CommitteeService {
  private core?: RaftCore
  private timer?: ReturnType<typeof setInterval>
  private chain: Promise<void> = Promise.resolve()
  private readonly failures: Partial<Record<CommitteeFailure, number>> = {}
  private readonly now: () => number
  private storageFailed = false

  constructor (private readonly init: CommitteeServiceInit) {
    this.now = init.now ?? Date.now
  }

  /** Loads the saved state, starts the core, and listens. */
  async start (): Promise<void> {
    const storage = await this.init.storage.load()
    this.core = new RaftCore({ ...this.init.consensus, id: this.init.id, members: this.init.members, storage }, this.now())
    if (storage.snapshot !== undefined) this.init.onSnapshot?.(storage.snapshot)
    this.init.links.attach({
      room: this.init.room,
      deliver: message => { this.input(core => { core.step(message, this.now()) }) },
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

  /** Proposes a command (leader only; throws NOT_LEADER otherwise); returns its index. */
  propose (data: Uint8Array): number {
    const index = this.started().propose(data)
    this.flush()
    return index
  }

  /** Adds or removes one member (leader only). */
  changeMembers (members: readonly MemberId[]): number {
    const index = this.started().changeMembers(members)
    this.flush()
    return index
  }

  /** The core's status, with the protocol's drops. */
  status (): RaftStatus & { failures: Partial<Record<CommitteeFailure, number>>, storageFailed: boolean } {
    return { ...this.started().status(), failures: { ...this.failures }, storageFailed: this.storageFailed }
  }

  private started (): RaftCore {
    if (this.core === undefined) throw new Error('committee: not started')
    return this.core
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
      for (const m of ready.messages) this.send(m)
      if (ready.snapshot !== undefined) this.init.onSnapshot?.(ready.snapshot)
      for (const e of ready.committed) this.init.onCommitted?.(e)
      if (ready.softState !== undefined) this.init.onSoftState?.(ready.softState)
    }).catch(() => {
      // A member that cannot save cannot keep Raft's promises: it stops, its messages unsent.
      this.storageFailed = true
      if (this.timer !== undefined) clearInterval(this.timer)
      this.timer = undefined
    })
  }

  private send (message: Message): void {
    this.init.links.send(this.init.room, message)
  }
}
