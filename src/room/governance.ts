/**
 * A room's governance as the committee's log decides it: banned peers, the title, pinned
 * messages, and how far the order of history is final. Pure: it applies committed, certified
 * commands in log order and says what changed. In an open room (no registry) nobody has
 * authority, so only finality checkpoints take effect there; the rest is ignored with a reason.
 */
import { decodeGovernanceCommand, type GovernanceCommand } from './governance-codec.js'

/** Most pins a room keeps; pinning one more drops the oldest. */
export const MAX_PINS = 50

/** A ban in force. */
export interface Ban { reason: string, by: string, at: number }

/** The final part of history: every message up to `lamport`, whose ids hash to `digest`. */
export interface Finality { lamport: number, digest: string, index: number }

/** What an applied command changed. */
export type GovernanceEvent =
  | { type: 'banned', peer: string, reason: string, by: string }
  | { type: 'unbanned', peer: string, by: string }
  | { type: 'title', text: string, by: string }
  | { type: 'pinned' | 'unpinned', messageId: string, by: string }
  /** The order is final up to `lamport`; `digest` covers the window (after, lamport]. */
  | { type: 'final', after: number, lamport: number, digest: string }

/** The outcome of applying one entry's data. */
export type GovernanceOutcome = { applied: true, events: GovernanceEvent[] } | { applied: false, reason: string }

/** A room's governance state. */
export class Governance {
  private title = ''
  private readonly banned = new Map<string, Ban>()
  private pins: string[] = []
  private finality: Finality | undefined

  /**
   * `authority`: a trusted (registry) room, whose committee may ban, title and pin, and then only
   * on behalf of one of `trusted` (when given): a command by anyone else is ignored everywhere alike.
   */
  constructor (private readonly authority: boolean, private readonly trusted?: ReadonlySet<string>) {}

  /** Applies the command in a committed entry's data, at log index `index`. */
  apply (index: number, data: Uint8Array): GovernanceOutcome {
    const decoded = decodeGovernanceCommand(data)
    if (!decoded.ok) return { applied: false, reason: decoded.detail }
    const c = decoded.command
    if (c.type === 'checkpoint') return this.checkpoint(c, index)
    if (!this.authority) return { applied: false, reason: 'an open room has no authority to ban, title or pin' }
    if (this.trusted !== undefined && !this.trusted.has(c.by)) return { applied: false, reason: 'a command by a peer that is not trusted in this room' }
    return { applied: true, events: this.govern(c) }
  }

  /** True when `peer` is banned. */
  isBanned (peer: string): boolean { return this.banned.has(peer) }

  /** The Lamport value up to which the order is final (0: none yet). */
  get finalLamport (): number { return this.finality?.lamport ?? 0 }

  /** The state, for `/committee`, `/pins` and the UI. */
  view (): { title: string, banned: Array<[string, Ban]>, pins: string[], finality?: Finality } {
    return { title: this.title, banned: [...this.banned], pins: [...this.pins], ...(this.finality === undefined ? {} : { finality: { ...this.finality } }) }
  }

  /** The state as snapshot data (compaction). */
  snapshot (): Uint8Array {
    return new TextEncoder().encode(JSON.stringify(this.view()))
  }

  /** The state of snapshot data; undefined when it is not one. */
  static restore (authority: boolean, data: Uint8Array, trusted?: ReadonlySet<string>): Governance | undefined {
    try {
      const v = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(data)) as ReturnType<Governance['view']>
      const g = new Governance(authority, trusted)
      g.title = typeof v.title === 'string' ? v.title : ''
      for (const [peer, ban] of v.banned ?? []) g.banned.set(String(peer), { reason: String(ban.reason), by: String(ban.by), at: Number(ban.at) })
      g.pins = Array.isArray(v.pins) ? v.pins.map(String).slice(-MAX_PINS) : []
      if (v.finality !== undefined) g.finality = { lamport: Number(v.finality.lamport), digest: String(v.finality.digest), index: Number(v.finality.index) }
      return g
    } catch {
      return undefined
    }
  }

  private govern (c: Exclude<GovernanceCommand, { type: 'checkpoint' }>): GovernanceEvent[] {
    switch (c.type) {
      case 'ban':
        if (this.banned.has(c.peer)) return []
        this.banned.set(c.peer, { reason: c.reason, by: c.by, at: c.issuedAt })
        return [{ type: 'banned', peer: c.peer, reason: c.reason, by: c.by }]
      case 'unban':
        return this.banned.delete(c.peer) ? [{ type: 'unbanned', peer: c.peer, by: c.by }] : []
      case 'title':
        if (c.text === this.title) return []
        this.title = c.text
        return [{ type: 'title', text: c.text, by: c.by }]
      case 'pin':
        if (this.pins.includes(c.messageId)) return []
        this.pins = [...this.pins, c.messageId].slice(-MAX_PINS)
        return [{ type: 'pinned', messageId: c.messageId, by: c.by }]
      case 'unpin':
        if (!this.pins.includes(c.messageId)) return []
        this.pins = this.pins.filter(p => p !== c.messageId)
        return [{ type: 'unpinned', messageId: c.messageId, by: c.by }]
    }
  }

  private checkpoint (c: Extract<GovernanceCommand, { type: 'checkpoint' }>, index: number): GovernanceOutcome {
    if (this.finality !== undefined && c.lamport <= this.finality.lamport) return { applied: false, reason: `a checkpoint at ${c.lamport} is not past the final ${this.finality.lamport}` }
    const after = this.finality?.lamport ?? 0
    this.finality = { lamport: c.lamport, digest: c.digest, index }
    return { applied: true, events: [{ type: 'final', after, lamport: c.lamport, digest: c.digest }] }
  }
}
