/**
 * The simulated network between committee members, etcd-io/raft style: every message waits in
 * one queue with a delivery time, and can be lost on the way — by a per-link drop probability,
 * a cut link, an isolated member, a partition, or a test's hook — duplicated, or reordered by a
 * random latency. Seeded, so a schedule replays exactly.
 */
import type { MemberId, Message } from '../../../src/consensus/index.js'

/** A message on its way. */
export interface InFlight {
  readonly message: Message
  readonly deliverAt: number
  /** Order of sending (ties of `deliverAt` deliver in this order). */
  readonly seq: number
}

/** Says whether a message may be sent (false drops it). */
export type MessageHook = (message: Message) => boolean

/** Why a message did not arrive. */
export type LossReason = 'dropped' | 'cut' | 'hook'

/** Queue and faults; the cluster decides when to deliver. */
export class Network {
  /** Latency range [min, max] in ms, drawn per message. */
  latency: readonly [number, number] = [0, 0]
  /** Probability that a sent message arrives twice. */
  duplicate = 0
  /** A test's hook, consulted for every message sent. */
  hook: MessageHook | undefined
  private readonly random: () => number
  private readonly maxInFlight: number
  private queue: InFlight[] = []
  private seq = 0
  private readonly dropRates = new Map<string, number>()
  private readonly cuts = new Set<string>()
  private readonly isolated = new Set<MemberId>()
  private groups: Map<MemberId, number> | undefined

  constructor (random: () => number, maxInFlight = 10_000) {
    this.random = random
    this.maxInFlight = maxInFlight
  }

  /** Loses messages from `from` to `to` with probability `probability` (0 restores the link). */
  drop (from: MemberId, to: MemberId, probability: number): void {
    if (probability <= 0) this.dropRates.delete(`${from}>${to}`)
    else this.dropRates.set(`${from}>${to}`, probability)
  }

  /** Loses everything between `a` and `b`, both ways, until `heal`. */
  cut (a: MemberId, b: MemberId): void {
    this.cuts.add(`${a}>${b}`)
    this.cuts.add(`${b}>${a}`)
  }

  /** Cuts `id` off from everyone until `heal`. */
  isolate (id: MemberId): void {
    this.isolated.add(id)
  }

  /** Only members of the same group reach each other; a member in no group reaches nobody. */
  partition (groups: ReadonlyArray<readonly MemberId[]>): void {
    this.groups = new Map(groups.flatMap((g, i) => g.map(id => [id, i] as const)))
  }

  /** Ends every cut, isolation, partition and drop probability (latency and duplication stay). */
  heal (): void {
    this.cuts.clear()
    this.isolated.clear()
    this.dropRates.clear()
    this.groups = undefined
  }

  /** True when nothing structural (cut, isolation, partition) separates `from` from `to`. */
  connected (from: MemberId, to: MemberId): boolean {
    if (this.isolated.has(from) || this.isolated.has(to) || this.cuts.has(`${from}>${to}`)) return false
    if (this.groups === undefined) return true
    const g = this.groups.get(from)
    return g !== undefined && g === this.groups.get(to)
  }

  /** Queues `message` sent at `now`, unless it is lost; returns why it was lost. */
  send (message: Message, now: number): LossReason | undefined {
    if (this.hook !== undefined && !this.hook(message)) return 'hook'
    if (!this.connected(message.from, message.to)) return 'cut'
    const rate = this.dropRates.get(`${message.from}>${message.to}`)
    if (rate !== undefined && this.random() < rate) return 'dropped'
    this.enqueue(message, now)
    if (this.duplicate > 0 && this.random() < this.duplicate) this.enqueue(message, now)
    return undefined
  }

  /** Removes and returns the next message due by `now` (earliest delivery time, then sending order). */
  next (now: number): InFlight | undefined {
    let best = -1
    for (let i = 0; i < this.queue.length; i++) {
      const f = this.queue[i]
      if (f.deliverAt > now) continue
      if (best < 0 || f.deliverAt < this.queue[best].deliverAt || (f.deliverAt === this.queue[best].deliverAt && f.seq < this.queue[best].seq)) best = i
    }
    return best < 0 ? undefined : this.queue.splice(best, 1)[0]
  }

  /** Removes and returns, in sending order, every queued message `filter` accepts. */
  take (filter: (m: Message) => boolean): InFlight[] {
    const taken = this.queue.filter(f => filter(f.message)).sort((a, b) => a.seq - b.seq)
    this.queue = this.queue.filter(f => !filter(f.message))
    return taken
  }

  /** Messages on their way (not removed). */
  get inFlight (): readonly InFlight[] {
    return this.queue
  }

  private enqueue (message: Message, now: number): void {
    if (this.queue.length >= this.maxInFlight) throw new Error(`more than ${this.maxInFlight} messages in flight (a message storm?)`)
    const [min, max] = this.latency
    const deliverAt = now + (max > min ? min + Math.floor(this.random() * (max - min + 1)) : min)
    this.queue.push({ message, deliverAt, seq: this.seq++ })
  }
}
