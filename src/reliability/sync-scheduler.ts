/**
 * When to send a sync message. The room is "quiet" once no new content or sync
 * message was sent or heard for the quiet interval (jittered per peer so one peer
 * usually speaks first and the rest hear it). The interval is `syncIntervalMs`
 * while the history has news, and doubles (up to `syncMaxIntervalMs`) each time the
 * unchanged history is announced again, by us or by a peer whose history covers ours.
 * So a sync never repeats our last outgoing history at the base interval, an idle room
 * decays to one heartbeat per `syncMaxIntervalMs`, and a healed partition still converges.
 */
import { jittered } from '../shared/index.js'

/** Settings of the sync timer. */
export interface SyncTiming { intervalMs: number, maxIntervalMs: number, jitter: number }

/** The quiet-room timer. */
export class SyncScheduler {
  private rounds = 0
  private dueAt = Number.POSITIVE_INFINITY

  constructor (private readonly timing: SyncTiming, private readonly random: () => number) {}

  /** When the next sync is due (∞ until the first activity). */
  get nextSyncAt (): number {
    return this.dueAt
  }

  /** Our history gained a message: the next quiet period uses the base interval. */
  historyChanged (): void {
    this.rounds = 0
  }

  /**
   * A new content/sync message was sent or heard at `now`. `announcedOurs` is true when
   * it carried our whole current history (our own sync, or a peer's covering history).
   */
  activity (now: number, announcedOurs: boolean): void {
    if (announcedOurs) this.rounds = Math.min(this.rounds + 1, 30)
    const interval = Math.min(this.timing.maxIntervalMs, this.timing.intervalMs * 2 ** this.rounds)
    this.dueAt = now + jittered(interval, this.timing.jitter, this.random)
  }

  /** Postpones the timer by one base interval (used when there is nothing to announce). */
  /**
   * Someone new is listening (a peer joined): announce our history within `withinMs`
   * (jittered down to half of it, so not every peer speaks at once), even if it is unchanged.
   * Returns true when that brought the next sync forward.
   */
  soon (now: number, withinMs: number): boolean {
    this.rounds = 0
    const at = now + withinMs * (0.5 + 0.5 * this.random())
    if (at >= this.dueAt) return false
    this.dueAt = at
    return true
  }

  postpone (now: number): void {
    this.dueAt = now + jittered(this.timing.intervalMs, this.timing.jitter, this.random)
  }
}
