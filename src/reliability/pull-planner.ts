/**
 * Turns due pulls into `PullRequest`s and answers peers' pulls. Target choice per
 * id: its known holders (retrieval hint, then senders whose history named it, then
 * peers that served it) followed by recently heard peers, rotated by attempt number
 * so each retry asks someone else. Ids with the same target are batched, at most
 * `maxPullIds` per request.
 *
 * Deep repair: a request for a backlog (ids named by a pulled message, or by a message
 * naming several unknown ids) carries our bloom filter, `maxAncestors` and our join time;
 * the answerer then walks back the causal histories of the messages asked for and adds
 * those whose ids are not in our filter and not older than our join, so a partition's
 * backlog comes back ~110 messages per round trip instead of ~10 (one history's length).
 */
import { bloomKey, parseBloom, parsedBloomHas, type ParsedBloom } from './bloom.js'
import type { DuePull } from './missing-tracker.js'
import type { ChannelState } from './state.js'
import type { MessageId, PullRequest, PullScope, ReliableMessage } from './types.js'

interface PullGroup { ids: MessageId[], candidates: string[], deep: boolean }

/** Queues the pull requests for the due ids on `state.pulls` (at most one deep request in flight). */
export function planPulls (state: ChannelState, due: DuePull[], now: number): void {
  if (due.length === 0) return
  const { maxPullCandidates, maxPullIds } = state.options
  const recent = state.peers.recent(maxPullCandidates)
  const groups = new Map<string, PullGroup>()
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
      if (group !== undefined) flush(state, target, group, now)
      group = { ids: [], candidates: rotated.slice(1), deep: false }
      groups.set(target, group)
    }
    group.ids.push(pull.id)
    if (pull.deep) group.deep = true
  }
  for (const [target, group] of groups) flush(state, target, group, now)
}

function flush (state: ChannelState, target: string, group: PullGroup, now: number): void {
  if (group.ids.length === 0) return
  const request: PullRequest = target === ''
    ? { messageIds: group.ids, candidates: [] }
    : { messageIds: group.ids, peer: target, candidates: group.candidates }
  const maxAncestors = Math.min(Math.floor(state.options.maxPullAncestors), state.options.answerMaxMessages - group.ids.length)
  if (group.deep && maxAncestors > 0 && now >= state.deepPullUntil) {
    request.maxAncestors = maxAncestors
    request.have = state.bloom.serialise()
    if (state.joinedAt !== undefined) request.minLamport = state.joinedAt
    state.deepPullUntil = now + state.options.pullBackoffBaseMs
  }
  state.pulls.push(request)
  state.counters.pullsMade++
}

/**
 * Answers a peer's pull from the store (delivered messages) and the buffer (held but
 * waiting), bounded by `answerMaxMessages` and `answerMaxBytes` (at least one message).
 * With `scope.maxAncestors` and a parseable `scope.have`, then adds causal ancestors of
 * the answered messages (breadth-first, newest first) that the requester's filter lacks,
 * none below `scope.minLamport` (and does not walk on from them).
 */
export function answerPull (state: ChannelState, messageIds: readonly MessageId[], scope: PullScope = {}): ReliableMessage[] {
  const { answerMaxMessages, answerMaxBytes } = state.options
  const out: ReliableMessage[] = []
  state.counters.pullsServed++
  if (!Array.isArray(messageIds)) return out
  const given = new Set<MessageId>()
  let bytes = 0
  const take = (id: MessageId): boolean => {
    const msg = state.store.get(id) ?? state.buffer.get(id)?.message
    if (msg === undefined) return true
    if (out.length > 0 && bytes + msg.content.length > answerMaxBytes) return false
    given.add(id)
    bytes += msg.content.length
    out.push(msg)
    return true
  }
  for (const id of messageIds) {
    if (out.length >= answerMaxMessages) return out
    if (typeof id !== 'string' || given.has(id)) continue
    if (!take(id)) return out
  }
  const have = scope.have instanceof Uint8Array && scope.have.byteLength > 0 ? parseBloom(scope.have) : undefined
  const extra = Math.min(Number.isSafeInteger(scope.maxAncestors) ? scope.maxAncestors ?? 0 : 0, answerMaxMessages - out.length)
  const floor = Number.isSafeInteger(scope.minLamport) ? scope.minLamport ?? 0 : 0
  const takeAncestor = (id: MessageId): boolean => {
    const msg = state.store.get(id) ?? state.buffer.get(id)?.message
    return msg === undefined || msg.lamport < floor ? true : take(id)
  }
  if (have !== undefined && extra > 0) addAncestors(out, given, have, out.length + extra, takeAncestor)
  return out
}

/** Breadth-first over causal histories from `out`, taking ids the requester's filter lacks. */
function addAncestors (
  out: ReliableMessage[], given: Set<MessageId>, have: ParsedBloom, limit: number, take: (id: MessageId) => boolean
): void {
  const visited = new Set<MessageId>(given)
  for (let next = 0; next < out.length && out.length < limit; next++) {
    const history = out[next].causalHistory
    for (let i = history.length - 1; i >= 0 && out.length < limit; i--) {
      const id = history[i].messageId
      if (visited.has(id)) continue
      visited.add(id)
      if (parsedBloomHas(have, bloomKey(id))) continue
      if (!take(id)) return
    }
  }
}
