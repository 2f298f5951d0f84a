/**
 * The fault model of the model network: which links are cut (partitions), how
 * likely a copy is lost on each link, and how long it takes (base latency, jitter,
 * occasional extra hold-back that reorders). All randomness comes from the
 * network's seeded PRNG, in a fixed call order, so a seed replays exactly.
 */

/** Delay and loss settings of the links. */
export interface LinkSettings {
  latencyMs: number
  jitterMs: number
  dropRate: number
  reorderRate: number
  reorderDelayMs: number
}

/** Partitions, per-link loss and delays. */
export class LinkFaults {
  private readonly linkDrop = new Map<string, number>()
  private groupOf: Map<string, number> | undefined

  constructor (private readonly settings: LinkSettings, private readonly random: () => number) {}

  /** Sets the drop probability of the directed link from → to. */
  setLinkDrop (from: string, to: string, probability: number): void {
    this.linkDrop.set(`${from}\u0000${to}`, probability)
  }

  /** Splits the nodes into groups that cannot reach each other (unlisted nodes form one more group). */
  partition (groups: string[][]): void {
    const groupOf = new Map<string, number>()
    groups.forEach((group, index) => { for (const id of group) groupOf.set(id, index) })
    this.groupOf = groupOf
  }

  /** Removes every partition. */
  heal (): void {
    this.groupOf = undefined
  }

  /** True when no partition separates a and b. */
  connected (a: string, b: string): boolean {
    if (this.groupOf === undefined) return true
    return (this.groupOf.get(a) ?? -1) === (this.groupOf.get(b) ?? -1)
  }

  /** Draws whether one copy on from → to is lost. */
  lossy (from: string, to: string): boolean {
    const p = this.linkDrop.size === 0
      ? this.settings.dropRate
      : (this.linkDrop.get(`${from}\u0000${to}`) ?? this.settings.dropRate)
    return p > 0 && this.random() < p
  }

  /** Draws the one-way delay of one copy (ms, integer). */
  delay (): number {
    const { latencyMs, jitterMs, reorderRate, reorderDelayMs } = this.settings
    let d = latencyMs + this.random() * jitterMs
    if (reorderRate > 0 && this.random() < reorderRate) d += this.random() * reorderDelayMs
    return Math.round(d)
  }
}
