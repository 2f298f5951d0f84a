/**
 * Delivery and its consequences: handing a message to the application, releasing
 * the buffered messages it unblocks (transitively, canonically smallest first),
 * declaring dependencies lost, and evicting from a full or stuck buffer so that the
 * buffer never blocks forever and never grows past its capacity.
 */
import type { WaitingMessage } from './causal-buffer.js'
import type { DeliveredEvent } from './events.js'
import { MinHeap } from '../shared/index.js'
import { compareCanonical } from './order.js'
import type { ChannelState } from './state.js'
import type { MessageId, ReliableMessage } from './types.js'

const byCanonical = (a: WaitingMessage, b: WaitingMessage): number => compareCanonical(a.message, b.message)

/** Delivers a message whose dependencies are all met, then whatever it releases. */
export function deliverNow (state: ChannelState, msg: ReliableMessage, gaps: MessageId[], beyond: MessageId[]): void {
  deliverOne(state, msg, gaps, beyond)
  if (state.buffer.size > 0) deliverAll(state, state.buffer.satisfy(msg.messageId, false))
}

/** Delivers the given ready messages and everything they release, smallest first. */
export function deliverAll (state: ChannelState, ready: WaitingMessage[]): void {
  if (ready.length === 0) return
  const heap = new MinHeap(byCanonical)
  for (const entry of ready) heap.push(entry)
  for (let entry = heap.pop(); entry !== undefined; entry = heap.pop()) {
    deliverOne(state, entry.message, entry.gaps, entry.beyondCatchUp)
    for (const released of state.buffer.satisfy(entry.message.messageId, false)) heap.push(released)
  }
}

function deliverOne (state: ChannelState, msg: ReliableMessage, gaps: MessageId[], beyond: MessageId[]): void {
  const id = msg.messageId
  // A message someone already named (declared lost, or beyond catch-up) arrives late.
  const late = state.lost.delete(id) || state.beyondCatchUp.delete(id)
  state.store.add(msg)
  state.recent.push(id, msg.senderId, msg.causalHistory, late)
  state.clock.observe(msg.lamport)
  state.counters.delivered++
  const outOfOrder = state.maxDelivered !== undefined && compareCanonical(msg, state.maxDelivered) < 0
  if (!outOfOrder) state.maxDelivered = { lamport: msg.lamport, messageId: id }
  const event: DeliveredEvent = { type: 'in:delivered', message: msg, outOfOrder }
  if (gaps.length > 0) event.gapBefore = gaps
  if (beyond.length > 0) event.beyondCatchUp = beyond
  state.events.push(event)
  state.sync.historyChanged()
  if (msg.senderId !== state.selfId) state.ackDebt.delivered(id, msg.senderId, state.now)
}

/**
 * Declares ids lost: reports `in:lost`, releases their waiters with a gap, and moves
 * the ids to background repair (a late arrival is still delivered).
 */
export function declareLost (state: ChannelState, ids: MessageId[], now: number): void {
  if (ids.length === 0) return
  for (const id of ids) {
    const holders = state.missing.get(id)?.holders ?? []
    state.missing.delete(id)
    state.lost.add(id, now)
    state.repairs.add(id, now, holders)
  }
  state.counters.lost += ids.length
  state.events.push({ type: 'in:lost', ids })
  const ready: WaitingMessage[] = []
  for (const id of ids) ready.push(...state.buffer.satisfy(id, true))
  deliverAll(state, ready)
}

/**
 * Frees the longest-waiting buffered message: declares lost every missing id in its
 * dependency closure within the buffer (releasing the chain in causal order), and if
 * it is still held (a forged dependency cycle), delivers it with the rest as gaps.
 */
export function evictOldest (state: ChannelState, now: number): void {
  const oldest = state.buffer.oldest()
  if (oldest === undefined) return
  const toLose: MessageId[] = []
  const visited = new Set<MessageId>()
  const stack = [oldest]
  while (stack.length > 0) {
    const entry = stack.pop() as WaitingMessage
    for (const dep of entry.waitingOn) {
      if (visited.has(dep)) continue
      visited.add(dep)
      const held = state.buffer.get(dep)
      if (held !== undefined) stack.push(held)
      else if (state.missing.has(dep)) toLose.push(dep)
    }
  }
  declareLost(state, toLose, now)
  const stuck = state.buffer.remove(oldest.message.messageId)
  if (stuck === undefined) return
  stuck.gaps.push(...stuck.waitingOn)
  stuck.waitingOn.clear()
  deliverAll(state, [stuck])
}

/** Evicts until the buffer has room for one more message. */
export function makeRoom (state: ChannelState, now: number): void {
  while (state.buffer.size >= state.options.bufferCapacity) evictOldest(state, now)
}

/**
 * Evicts buffered messages that waited longer than twice `lostAfterMs`. Missing
 * dependencies expire on their own before that, so only forged dependency cycles
 * (or chains whose links kept arriving just in time) get here.
 */
export function releaseStuck (state: ChannelState, now: number): void {
  for (let oldest = state.buffer.oldest(); oldest !== undefined; oldest = state.buffer.oldest()) {
    if (now - oldest.bufferedAt < 2 * state.options.lostAfterMs) return
    evictOldest(state, now)
  }
}
