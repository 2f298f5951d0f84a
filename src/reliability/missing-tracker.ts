/**
 * Dependencies we know of but do not hold: when each was noticed, who probably
 * holds it, and when to pull it next (exponential backoff with jitter, rotating
 * through candidate peers). Insertion order is notice order, so deadlines are
 * checked oldest-first in O(1) per tick. The channel uses two: blocking dependencies
 * (declared lost after `lostAfterMs`) and background repairs of lost ids (given up
 * after `repairGiveUpMs`, capacity-bounded).
 */
import { backoffDelay, jittered } from '../shared/index.js'
import type { MessageId } from './types.js'

/** One missing id. */
export interface MissingRecord {
  id: MessageId
  since: number
  attempts: number
  nextPullAt: number
  /** Peers believed to hold it, best first: hint, then senders whose history named it. */
  holders: string[]
  /** Part of a post-join backlog (named by a pulled message, or by one naming several unknown ids): its pull may bring causal ancestors along (deep repair). */
  deep: boolean
}

/** A pull that is due now: which attempt it is (from 0), the known holders, and whether it is deep. */
export interface DuePull { id: MessageId, attempt: number, holders: readonly string[], deep: boolean }

/** How a newly missing id is scheduled. */
export interface MissingOptions {
  /**
   * Pull at the next tick, without `initialDelayMs`: for ids named by a message that was
   * itself pulled, which is old, so nothing is still in flight on the topic.
   */
  immediate?: boolean
  /** See `MissingRecord.deep`. @default false */
  deep?: boolean
}

/** Settings of pull scheduling. */
export interface PullTiming {
  initialDelayMs: number
  baseMs: number
  maxMs: number
  jitter: number
  maxHolders: number
}

/** Bookkeeping of missing ids and their pull schedule. */
export class MissingTracker {
  private readonly records = new Map<MessageId, MissingRecord>()
  private earliestPull = Number.POSITIVE_INFINITY

  constructor (
    private readonly timing: PullTiming,
    private readonly random: () => number,
    private readonly capacity = Number.POSITIVE_INFINITY
  ) {}

  /** Ids missing. */
  get size (): number {
    return this.records.size
  }

  /** True when the id is being pulled. */
  has (id: MessageId): boolean {
    return this.records.has(id)
  }

  /** The id noticed longest ago. */
  oldest (): MissingRecord | undefined {
    return this.records.values().next().value
  }

  /** Earliest time a pull may be due (a lower bound). */
  get nextPullAt (): number {
    return this.earliestPull
  }

  /** Starts tracking an id (returns false if already tracked; holders are merged). */
  add (id: MessageId, now: number, holders: ReadonlyArray<string | undefined>, options: MissingOptions = {}): boolean {
    const deep = options.deep ?? false
    const existing = this.records.get(id)
    if (existing !== undefined) {
      this.addHolders(existing, holders)
      if (deep) existing.deep = true
      return false
    }
    const record: MissingRecord = {
      id,
      since: now,
      attempts: 0,
      nextPullAt: options.immediate === true ? now : now + jittered(this.timing.initialDelayMs, this.timing.jitter, this.random),
      holders: [],
      deep
    }
    this.addHolders(record, holders)
    this.records.set(id, record)
    if (this.records.size > this.capacity) this.records.delete(this.records.keys().next().value as MessageId)
    this.earliestPull = Math.min(this.earliestPull, record.nextPullAt)
    return true
  }

  /** The record of an id, if tracked. */
  get (id: MessageId): MissingRecord | undefined {
    return this.records.get(id)
  }

  /** Stops tracking (the message arrived or was declared lost). */
  delete (id: MessageId): boolean {
    return this.records.delete(id)
  }

  /** Removes and returns ids noticed at least `afterMs` ago. */
  takeExpired (now: number, afterMs: number): MessageId[] {
    const expired: MessageId[] = []
    if (this.records.size === 0) return expired
    for (const record of this.records.values()) {
      if (now - record.since < afterMs) break
      expired.push(record.id)
    }
    for (const id of expired) this.records.delete(id)
    return expired
  }

  /** Returns the records whose pull is due and schedules their next attempt. */
  takeDue (now: number): DuePull[] {
    if (now < this.earliestPull) return []
    const due: DuePull[] = []
    let earliest = Number.POSITIVE_INFINITY
    for (const record of this.records.values()) {
      if (record.nextPullAt <= now) {
        due.push({ id: record.id, attempt: record.attempts, holders: record.holders, deep: record.deep })
        const delay = backoffDelay(record.attempts, this.timing.baseMs, this.timing.maxMs)
        record.attempts++
        record.nextPullAt = now + jittered(delay, this.timing.jitter, this.random)
      }
      earliest = Math.min(earliest, record.nextPullAt)
    }
    this.earliestPull = earliest
    return due
  }

  private addHolders (record: MissingRecord, holders: ReadonlyArray<string | undefined>): void {
    for (const peer of holders) {
      if (peer === undefined || peer === '' || record.holders.includes(peer)) continue
      if (record.holders.length >= this.timing.maxHolders) return
      record.holders.push(peer)
    }
  }
}
