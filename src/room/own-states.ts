/**
 * The delivery state of each of our own messages (pending → sent → confirmed, or
 * not confirmed), as the UI marks it. Bounded: past `kept` entries the oldest settled
 * ones are forgotten (a forgotten state shows as sent); pending ones stay until published.
 */
import type { OwnMessageState } from './types.js'

/** Own-message states by message id. */
export class OwnStates {
  private readonly states = new Map<string, OwnMessageState>()

  constructor (private readonly kept: number) {}

  /** Starts tracking a new own message as pending. */
  add (id: string): void {
    this.states.set(id, 'pending')
    this.prune()
  }

  /** Tracks an own message restored from disk in the state it had settled in. */
  settled (id: string, state: 'confirmed' | 'not-confirmed'): void {
    this.states.set(id, state)
    this.prune()
  }

  /** The state of an own message, if still tracked. */
  get (id: string): OwnMessageState | undefined {
    return this.states.get(id)
  }

  /**
   * Moves a tracked message to `state`. Returns true when that changed anything: an untracked
   * id, the same state, or a confirmed one (final) changes nothing.
   */
  set (id: string, state: OwnMessageState): boolean {
    const current = this.states.get(id)
    if (current === undefined || current === state || current === 'confirmed') return false
    this.states.set(id, state)
    this.prune()
    return true
  }

  /** How many own messages have not yet reached any peer. */
  pendingCount (): number {
    let n = 0
    for (const state of this.states.values()) if (state === 'pending') n++
    return n
  }

  private prune (): void {
    if (this.states.size <= this.kept) return
    for (const [id, state] of this.states) {
      if (this.states.size <= this.kept) return
      if (state !== 'pending') this.states.delete(id)
    }
  }
}
