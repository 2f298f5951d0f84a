/**
 * A deterministic in-memory committee for testing the consensus core: each member is a
 * `RaftCore` plus its simulated disk and application, driven exactly as the `Ready` contract
 * says (persist, then send, then apply), over a seeded `Network` that loses, delays, reorders
 * and duplicates. Time is a virtual clock stepped in small increments; a member can crash
 * (its core, application and messages to it are lost, its disk kept) and restart from disk.
 * Tests watch it through events; everything is bounded in count and time.
 */
import { RaftCore, type Entry, type MemberId, type RaftStatus, type Ready, type Snapshot } from '../../../src/consensus/index.js'
import { createRandom } from '../../../src/shared/index.js'
import { AppState, ContractError, Disk } from './disk.js'
import { bytes } from './format.js'
import { Network, type InFlight, type LossReason } from './network.js'

/** How a cluster is built. */
export interface ClusterOptions {
  /** Seeds the network, the tick order and every core. */
  seed: number
  /** Members started at once, each with this list as its initial config. */
  members: readonly MemberId[]
  electionTimeoutMs?: number
  heartbeatIntervalMs?: number
  maxEntriesPerAppend?: number
  /** Clock step of `advance`: every live member is ticked this often. @default 10 */
  tickMs?: number
  /** Latency range of every message, ms. @default [0, 0] */
  latency?: readonly [number, number]
  /** Most messages in flight before the cluster gives up (a storm). @default 10000 */
  maxInFlight?: number
}

/** One simulated member. */
export interface Member {
  readonly id: MemberId
  /** The member list it was first started with (a restart passes it again; storage wins). */
  readonly initialMembers: readonly MemberId[]
  /** Undefined while crashed. */
  core: RaftCore | undefined
  readonly disk: Disk
  /** The application; lost at a crash, rebuilt from the disk's snapshot at a restart. */
  app: AppState
  /** The core's status after the last processed input. */
  status: RaftStatus
  incarnation: number
}

/** What a cluster reports to observers, in order. */
export type ClusterEvent =
  | { type: 'ready', member: Member, ready: Ready, before: RaftStatus, after: RaftStatus }
  | { type: 'apply', member: Member, entry: Entry }
  | { type: 'install', member: Member, snapshot: Snapshot }
  | { type: 'deliver', flight: InFlight, lost?: LossReason | 'crashed' }
  | { type: 'lost-on-send', flight: InFlight, reason: LossReason }
  | { type: 'crash' | 'restart', member: Member }
  | { type: 'compact', member: Member, snapshot: Snapshot }

/** Most message deliveries one `advance` step or `stabilize` may take before the cluster gives up. */
const MAX_DELIVERIES = 100_000

/** A set of members, their network and a virtual clock. */
export class Cluster {
  now = 0
  readonly network: Network
  readonly members = new Map<MemberId, Member>()
  private readonly options: ClusterOptions
  private readonly tickMs: number
  private readonly random: () => number
  private readonly observers: Array<(event: ClusterEvent) => void> = []

  constructor (options: ClusterOptions) {
    this.options = options
    this.tickMs = options.tickMs ?? 10
    this.random = createRandom(options.seed ^ 0x5eed)
    this.network = new Network(createRandom(options.seed ^ 0xbeef), options.maxInFlight)
    if (options.latency !== undefined) this.network.latency = options.latency
    for (const id of options.members) this.start(id, options.members)
  }

  /** Calls `observer` with every event from now on. */
  observe (observer: (event: ClusterEvent) => void): void {
    this.observers.push(observer)
  }

  /** Starts a new member with an empty disk and `initialMembers` as its config. */
  start (id: MemberId, initialMembers: readonly MemberId[]): Member {
    if (this.members.has(id)) throw new Error(`${id} already exists`)
    const disk = new Disk()
    const core = this.createCore(id, initialMembers, disk, 1)
    const member: Member = { id, initialMembers: [...initialMembers], core, disk, app: new AppState(), status: core.status(), incarnation: 1 }
    this.members.set(id, member)
    this.process(member)
    return member
  }

  /** The member `id`; throws if unknown. */
  member (id: MemberId): Member {
    const m = this.members.get(id)
    if (m === undefined) throw new Error(`no member ${id}`)
    return m
  }

  /** The live member's core; throws if crashed. */
  core (id: MemberId): RaftCore {
    const core = this.member(id).core
    if (core === undefined) throw new Error(`${id} is crashed`)
    return core
  }

  /** Live members, in id order. */
  live (): Member[] {
    return [...this.members.values()].filter(m => m.core !== undefined).sort((a, b) => a.id.localeCompare(b.id))
  }

  /** Loses `id`'s core, application and the messages on their way to it; its disk survives. */
  crash (id: MemberId): void {
    const member = this.member(id)
    if (member.core === undefined) return
    member.core = undefined
    member.app = new AppState()
    this.network.take(m => m.to === id)
    this.emit({ type: 'crash', member })
  }

  /** Starts a crashed member again from its disk. */
  restart (id: MemberId): void {
    const member = this.member(id)
    if (member.core !== undefined) throw new Error(`${id} is not crashed`)
    member.incarnation++
    member.app = new AppState()
    if (member.disk.snapshot !== undefined) member.app.install(member.disk.snapshot)
    const core = this.createCore(id, member.initialMembers, member.disk, member.incarnation)
    member.core = core
    member.status = core.status()
    this.emit({ type: 'restart', member })
    this.process(member)
  }

  /** Ticks one live member at the current time. */
  tick (id: MemberId): void {
    this.input(this.member(id), core => core.tick(this.now))
  }

  /** Proposes a command at `id` (throws NOT_LEADER as the core does); returns its index. */
  propose (id: MemberId, command: string): number {
    let index = 0
    this.input(this.member(id), core => { index = core.propose(bytes(command)) })
    return index
  }

  /** Asks `id` to change the member list; returns the config entry's index. */
  changeMembers (id: MemberId, members: readonly MemberId[]): number {
    let index = 0
    this.input(this.member(id), core => { index = core.changeMembers(members) })
    return index
  }

  /** Compacts `id`'s log up to `index` (default: all it applied) with its application's state there, and persists the core's snapshot. */
  compact (id: MemberId, index?: number): Snapshot {
    const member = this.member(id)
    const core = this.core(id)
    const at = index ?? member.app.index
    const snapshot = core.compact(at, member.app.snapshotData(at))
    // The core's snapshot must agree with what the driver itself persisted up to `at`.
    const term = member.disk.termAt(at)
    const members = member.disk.membersAt(at, member.initialMembers).join(',')
    if (snapshot.index !== at || snapshot.term !== term || snapshot.members.join(',') !== members) {
      throw new ContractError(`${id} compacted at ${at} into snapshot ${snapshot.index}/${snapshot.term} members=${snapshot.members.join(',')}; the disk holds term ${term ?? '-'} there and members ${members}`)
    }
    member.disk.compact(snapshot)
    member.status = core.status()
    this.check(member)
    this.emit({ type: 'compact', member, snapshot })
    return snapshot
  }

  /** Delivers one message now (unless its receiver is crashed or cut off). */
  deliver (flight: InFlight): void {
    const { message } = flight
    const member = this.members.get(message.to)
    if (member?.core === undefined) { this.emit({ type: 'deliver', flight, lost: 'crashed' }); return }
    if (!this.network.connected(message.from, message.to)) { this.emit({ type: 'deliver', flight, lost: 'cut' }); return }
    this.emit({ type: 'deliver', flight })
    this.input(member, core => core.step(message, this.now))
  }

  /** Advances the clock by `ms`: messages are delivered at their times, every live member ticks each `tickMs`. */
  advance (ms: number): void {
    const end = this.now + ms
    while (this.now < end) {
      const stop = Math.min(this.now + this.tickMs, end)
      this.deliverDue(stop)
      this.now = stop
      const live = this.live()
      for (let i = live.length - 1; i > 0; i--) {
        const j = Math.floor(this.random() * (i + 1));
        [live[i], live[j]] = [live[j], live[i]]
      }
      for (const m of live) if (m.core !== undefined) this.tick(m.id)
    }
  }

  /** Advances until `done()` holds (checked every `tickMs`), at most `maxMs`; returns whether it held. */
  runUntil (done: () => boolean, maxMs: number): boolean {
    const end = this.now + maxMs
    while (!done()) {
      if (this.now >= end) return false
      this.advance(Math.min(this.tickMs, end - this.now))
    }
    return true
  }

  /** Delivers every queued message, and those they cause, without moving the clock, until none is left (or `max` were delivered); returns how many were. */
  stabilize (max = MAX_DELIVERIES): number {
    return this.deliverDue(Infinity, max)
  }

  /** Delivers the messages queued for `to` right now (not those they cause). */
  deliverTo (to: MemberId): number {
    const flights = this.network.take(m => m.to === to)
    for (const f of flights) this.deliver(f)
    return flights.length
  }

  /** A live member that leads in the highest term any live member leads in, if any. */
  leader (): Member | undefined {
    let best: Member | undefined
    for (const m of this.live()) {
      if (m.status.role === 'leader' && (best === undefined || m.status.term > best.status.term)) best = m
    }
    return best
  }

  private deliverDue (until: number, max = Infinity): number {
    let count = 0
    for (let f = this.network.next(until); f !== undefined && count < max; f = this.network.next(until)) {
      if (++count > MAX_DELIVERIES) throw new Error(`more than ${MAX_DELIVERIES} deliveries without quiet (a message storm?)`)
      if (until !== Infinity && f.deliverAt > this.now) this.now = f.deliverAt
      this.deliver(f)
    }
    return count
  }

  /** A core reading `disk`; each incarnation gets its own seed (its own election timeouts). */
  private createCore (id: MemberId, initialMembers: readonly MemberId[], disk: Disk, incarnation: number): RaftCore {
    const o = this.options
    return new RaftCore({
      id,
      members: initialMembers,
      storage: disk.storage(),
      seed: o.seed * 8 + incarnation,
      ...(o.electionTimeoutMs === undefined ? {} : { electionTimeoutMs: o.electionTimeoutMs }),
      ...(o.heartbeatIntervalMs === undefined ? {} : { heartbeatIntervalMs: o.heartbeatIntervalMs }),
      ...(o.maxEntriesPerAppend === undefined ? {} : { maxEntriesPerAppend: o.maxEntriesPerAppend })
    }, this.now)
  }

  /** Runs one input on a live member's core, then handles its Ready batches. */
  private input (member: Member, run: (core: RaftCore) => void): void {
    const core = member.core
    if (core === undefined) throw new Error(`${member.id} is crashed`)
    try {
      run(core)
    } finally {
      this.process(member)
    }
  }

  /** Persists, sends, then applies each Ready, as the contract says. */
  private process (member: Member): void {
    const core = member.core
    // Everything status() shows but the drop counts changes hasReady(), so a quiet core is skipped.
    if (core === undefined || !core.hasReady()) return
    for (let rounds = 0; core.hasReady(); rounds++) {
      if (rounds > 100) throw new ContractError(`${member.id}: hasReady() stays true after 100 ready() calls`)
      const before = member.status
      const ready = core.ready()
      member.disk.persist(ready)
      const after = core.status()
      member.status = after
      this.emit({ type: 'ready', member, ready, before, after })
      for (const message of ready.messages) {
        if (message.from !== member.id) throw new ContractError(`${member.id} sent a message from ${message.from}`)
        const reason = this.network.send(message, this.now)
        if (reason !== undefined) this.emit({ type: 'lost-on-send', flight: { message, deliverAt: this.now, seq: -1 }, reason })
      }
      if (ready.snapshot !== undefined) {
        member.app.install(ready.snapshot)
        this.emit({ type: 'install', member, snapshot: ready.snapshot })
      }
      for (const entry of ready.committed) {
        member.app.apply(entry)
        this.emit({ type: 'apply', member, entry })
      }
    }
    this.check(member)
  }

  /** The core's view agrees with what the driver persisted and applied. */
  private check (member: Member): void {
    const s = member.status
    const d = member.disk
    const problems: string[] = []
    if (s.lastIndex !== d.lastIndex) problems.push(`lastIndex ${s.lastIndex} but the disk's is ${d.lastIndex}`)
    if (s.snapshotIndex !== d.snapshotIndex) problems.push(`snapshotIndex ${s.snapshotIndex} but the disk's is ${d.snapshotIndex}`)
    if (s.term !== (d.hardState?.term ?? 0)) problems.push(`term ${s.term} but the disk's is ${d.hardState?.term ?? 0}`)
    if (s.commit !== Math.max(d.hardState?.commit ?? 0, d.snapshotIndex)) problems.push(`commit ${s.commit} but the disk's is ${d.hardState?.commit ?? 0}`)
    if (s.applied !== member.app.index) problems.push(`applied ${s.applied} but the application is at ${member.app.index}`)
    if (problems.length > 0) throw new ContractError(`${member.id} at ${this.now}: ${problems.join('; ')}`)
  }

  private emit (event: ClusterEvent): void {
    for (const o of this.observers) o(event)
  }
}
