/**
 * Everything `tick(now)` does, in order: roll the bloom filter, declare overdue
 * dependencies lost (and give up background repairs), release messages stuck in the
 * buffer, schedule pulls, resend unacknowledged own messages (or give up on them),
 * push again an own message no later message names yet (the quiet tail),
 * and send a sync message when the room is quiet, or to acknowledge others' lines. Each step is O(1) when nothing is due.
 */
import { declareLost, releaseStuck } from './delivery.js'
import { sendSync } from './outgoing.js'
import { planPulls } from './pull-planner.js'
import { noteTime, type ChannelState } from './state.js'

/** Runs the timers of a channel at `now`. */
export function tickChannel (state: ChannelState, now: number): void {
  noteTime(state, now)
  state.bloom.maybeRoll(now)
  declareLost(state, state.missing.takeExpired(now, state.options.lostAfterMs), now)
  state.repairs.takeExpired(now, state.options.repairGiveUpMs)
  releaseStuck(state, now)
  const due = state.missing.takeDue(now)
  const repairs = state.repairs.takeDue(now)
  planPulls(state, repairs.length === 0 ? due : [...due, ...repairs], now)
  resend(state, now)
  if (now >= state.sync.nextSyncAt) {
    if (state.recent.size === 0) state.sync.postpone(now)
    else sendSync(state, now)
  } else if (now >= state.ackDebt.nextAckAt) {
    state.counters.ackSyncs++
    sendSync(state, now)
  }
}

function resend (state: ChannelState, now: number): void {
  const work = state.acks.takeDue(now)
  for (const msg of work.resend) state.outgoing.push(msg)
  state.counters.resends += work.resend.length
  for (const id of work.notConfirmed) {
    state.events.push({ type: 'out:not-confirmed', id })
    state.tail.forget(id)
  }
  const tail = state.tail.takeDue(now, id => state.acks.has(id))
  for (const msg of tail) state.outgoing.push(msg)
  state.counters.resends += tail.length
  state.counters.tailPushes += tail.length
}

/** The earliest time at which `tick` has work (a lower bound; ∞ when idle). */
export function nextDeadline (state: ChannelState): number {
  const { lostAfterMs } = state.options
  const oldestMissing = state.missing.oldest()
  const oldestRepair = state.repairs.oldest()
  const oldestBuffered = state.buffer.oldest()
  return Math.min(
    state.missing.nextPullAt,
    state.repairs.nextPullAt,
    oldestMissing === undefined ? Infinity : oldestMissing.since + lostAfterMs,
    oldestRepair === undefined ? Infinity : oldestRepair.since + state.options.repairGiveUpMs,
    oldestBuffered === undefined ? Infinity : oldestBuffered.bufferedAt + 2 * lostAfterMs,
    state.acks.nextResendAt,
    state.tail.nextPushAt,
    state.sync.nextSyncAt,
    state.ackDebt.nextAckAt,
    state.bloom.nextRollAt ?? Infinity
  )
}
