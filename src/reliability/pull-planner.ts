/**
 * Turns due pulls into `PullRequest`s and answers peers' pulls. Target choice per
 * id: its known holders (retrieval hint, then senders whose history named it, then
 * peers that served it) followed by recently heard peers, rotated by attempt number
 * so each retry asks someone else. Ids with the same target are batched, at most
 * `maxPullIds` per request.
 */
import type { DuePull } from './missing-tracker.js'
import type { ChannelState } from './state.js'
import type { MessageId, PullRequest, ReliableMessage } from './types.js'

/** Queues the pull requests for the due ids on `state.pulls`. */
export function planPulls (state: ChannelState, due: DuePull[]): void {
  if (due.length === 0) return
  const { maxPullCandidates, maxPullIds } = state.options
  const recent = state.peers.recent(maxPullCandidates)
  const groups = new Map<string, { ids: MessageId[], candidates: string[] }>()
  for (const pull of due) {
    const order: string[] = [...pull.holders]
    for (const peer of recent) {
      if (order.length >= maxPullCandidates) break
      if (!order.includes(peer)) order.push(peer)
    }
    const start = order.length === 0 ? 0 : pull.attempt % order.length
    const rotated = [...order.slice(start), ...order.slice(0, start)]
    const target = rotated[0] ?? ''
    let group = groups.get(target)
    if (group === undefined || group.ids.length >= maxPullIds) {
      if (group !== undefined) flush(state, target, group)
      group = { ids: [], candidates: rotated.slice(1) }
      groups.set(target, group)
    }
    group.ids.push(pull.id)
  }
  for (const [target, group] of groups) flush(state, target, group)
}

function flush (state: ChannelState, target: string, group: { ids: MessageId[], candidates: string[] }): void {
  if (group.ids.length === 0) return
  const request: PullRequest = target === ''
    ? { messageIds: group.ids, candidates: [] }
    : { messageIds: group.ids, peer: target, candidates: group.candidates }
  state.pulls.push(request)
  state.counters.pullsMade++
}

/**
 * Answers a peer's pull from the store (delivered messages) and the buffer (held but
 * waiting), bounded by `answerMaxMessages` and `answerMaxBytes` (at least one message).
 */
export function answerPull (state: ChannelState, messageIds: readonly MessageId[]): ReliableMessage[] {
  const { answerMaxMessages, answerMaxBytes } = state.options
  const out: ReliableMessage[] = []
  state.counters.pullsServed++
  if (!Array.isArray(messageIds)) return out
  const given = new Set<MessageId>()
  let bytes = 0
  for (const id of messageIds) {
    if (out.length >= answerMaxMessages) break
    if (typeof id !== 'string' || given.has(id)) continue
    const msg = state.store.get(id) ?? state.buffer.get(id)?.message
    if (msg === undefined) continue
    if (out.length > 0 && bytes + msg.content.length > answerMaxBytes) break
    given.add(id)
    bytes += msg.content.length
    out.push(msg)
  }
  return out
}
