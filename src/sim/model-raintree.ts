/**
 * RainTree in the model network: one pure `RainTreeCore` per participant (the code the live
 * RainTree path runs), over a view of every participant sorted once and shared. The network
 * carries its copies and ACKs over the same lossy, delayed links as everything else; a seeded
 * share of participants takes copies but never forwards or ACKs them.
 */
import { RainTreeCore, RainTreeView, type RainTreeOptions, type RainTreeReady } from '../raintree/index.js'
import { createRandom, seedFromString } from '../shared/index.js'

/** How the model runs RainTree. */
export interface ModelRainTreeOptions {
  /** Also send every message on the flat broadcast (the model's stand-in for gossipsub). */
  alsoFlat: boolean
  /** Share of participants that never forward or ACK (0–1), chosen by the seed. */
  nonForwarding: number
  /** The cores' tuning. */
  core: Partial<RainTreeOptions>
}

/**
 * Whether the member `name` is one of the RainTree peers that never forward or ACK: a seeded
 * share of the members, the same wherever it is asked (each decides from its name and the seed).
 * The model and the live simulator both choose with it.
 */
export function isNonForwarding (seed: number, name: string, share: number): boolean {
  return share > 0 && createRandom(seedFromString(`${seed}/${name}`))() < share
}

/** The RainTree state of every participant of a model network. */
export class ModelRainTree {
  private readonly cores = new Map<string, RainTreeCore>()
  private readonly silent = new Set<string>()
  private view: RainTreeView | undefined
  private members: string[] = []

  constructor (readonly options: ModelRainTreeOptions, private readonly seed: number) {}

  /** Sets the members (every participant the room knows, up or down); cores keep their state. */
  setMembers (ids: readonly string[]): void {
    if (ids.length === this.members.length && ids.every((id, i) => id === this.members[i])) return
    this.members = [...ids]
    this.view = ids.length === 0 ? undefined : RainTreeView.of(ids[0], ids)
    for (const [id, core] of this.cores) if (this.view?.indexOf(id) !== undefined) core.setView(this.view.withSelf(id))
    this.silent.clear()
    for (const id of ids) if (isNonForwarding(this.seed, id, this.options.nonForwarding)) this.silent.add(id)
  }

  /** True for a participant that takes copies but never forwards or ACKs them. */
  isSilent (id: string): boolean { return this.silent.has(id) }

  /** The core of `id` (made on first use); undefined when `id` is not a member. */
  core (id: string): RainTreeCore | undefined {
    let core = this.cores.get(id)
    if (core === undefined) {
      const view = this.view
      if (view === undefined || view.indexOf(id) === undefined) return undefined
      core = new RainTreeCore(view.withSelf(id), this.options.core)
      this.cores.set(id, core)
    }
    return core
  }

  /** Forgets the state of a participant that crashed (a restart is a fresh core). */
  forget (id: string): void { this.cores.delete(id) }

  /** Every core's output since the last call, by participant. */
  drain (id: string): RainTreeReady | undefined {
    return this.cores.get(id)?.ready()
  }

  /** Ticks every core (ACK deadlines). */
  tick (now: number): string[] {
    const ticked: string[] = []
    for (const [id, core] of this.cores) {
      const at = core.nextDeadline()
      if (at === undefined || at > now) continue
      core.tick(now)
      ticked.push(id)
    }
    return ticked
  }
}
