/**
 * The receive path: validate, verify the id, dedup exactly, learn acks, then
 * deliver (ephemeral at once; content once its causal history is delivered) or
 * buffer while the missing dependencies are pulled. Never throws, never waits.
 *
 * Late-joiner rule: a content message whose Lamport value is below the channel's
 * join time (`joinedAt`, the first `now` it saw) is a pre-join message. Unknown ids
 * named by post-join messages and by sync messages are always pulled and waited for.
 * Unknown ids named by pre-join messages are pulled only while fewer than
 * `catchUpLimit` such ids were requested; beyond that they are not pulled and not
 * waited on (reported as `beyondCatchUp`). So a joiner fetches the histories of the
 * first messages it sees plus at most `catchUpLimit` older messages.
 *
 * Late repair: an id declared lost keeps being pulled in the background (nothing
 * waits for it) until `repairGiveUpMs`, and again whenever a later history names it;
 * if it arrives it is delivered then, flagged `outOfOrder` when it sorts earlier.
 */
import { deliverNow, makeRoom } from './delivery.js'
import { computeMessageId, isMessageId } from './message-id.js'
import { isDelivered, noteTime, type ChannelState } from './state.js'
import { DROP_REASONS, type DropReason, type MessageId, type ReceiveResult, type ReliableMessage } from './types.js'
import { validateMessage } from './validate.js'

const NONE: MessageId[] = []
const DELIVERED: ReceiveResult = Object.freeze({ status: 'delivered' })
const ACCEPTED: ReceiveResult = Object.freeze({ status: 'accepted' })
const DROPPED = new Map<DropReason, ReceiveResult>(
  DROP_REASONS.map((reason) => [reason, Object.freeze({ status: 'dropped', reason })])
)

/**
 * A gossiped message naming this many ids we never saw heads a backlog (a partition healing,
 * a peer back from a long disconnect), not a loss or two: its pulls go deep.
 */
const DEEP_BACKLOG_IDS = 3

/** How the dependencies of one message stand. */
interface DepScan { waitingOn: MessageId[], gaps: MessageId[], beyond: MessageId[] }

/** Processes one incoming message. */
export function receiveMessage (state: ChannelState, msg: ReliableMessage, now: number, from?: string): ReceiveResult {
  noteTime(state, now)
  const invalid = validateMessage(msg, state.channelId, now, state.options)
  if (invalid !== undefined) return drop(state, invalid, invalid === 'malformed' ? undefined : msg.messageId)
  const seen = msg.kind === 'content' ? state.seenContent : state.seenOther
  if (seen.has(msg.messageId)) return drop(state, msg.senderId === state.selfId ? 'own' : 'duplicate', msg.messageId)
  if (msg.lamport + state.options.maxClockSkewMs < seen.horizon) return drop(state, 'duplicate', msg.messageId)
  if (computeMessageId(msg) !== msg.messageId) return drop(state, 'bad-id', msg.messageId)

  seen.add(msg.messageId, now)
  if (from !== undefined) state.deepPullUntil = 0
  if (msg.senderId !== state.selfId) state.peers.touch(msg.senderId, now)
  if (from !== undefined && from !== msg.senderId) state.peers.touch(from, now)

  if (msg.kind === 'ephemeral') {
    state.counters.ephemeralDelivered++
    state.events.push({ type: 'in:delivered', message: msg, outOfOrder: false })
    return DELIVERED
  }
  state.acks.observe(msg.senderId, msg.causalHistory, msg.bloomFilter, state.events)
  state.tail.named(msg.causalHistory)
  state.ackDebt.heard(msg.senderId, msg.causalHistory)
  if (msg.kind === 'sync') {
    scanDependencies(state, msg, now, from)
    state.sync.activity(now, state.recent.coveredBy(msg.causalHistory))
    // Its sender lacks some of what we announce (back from a partition or a restart): answer
    // with our sync soon, so it pulls now rather than at the next quiet-room sync.
    // Only a share of a large room answers (about `quietAckers` peers), or every peer would.
    if (state.options.behindAnswerMs > 0 && state.recent.lackedBy(msg.causalHistory, msg.bloomFilter) && state.ackDebt.takesPart()) {
      if (state.sync.soon(now, state.options.behindAnswerMs)) state.counters.behindAnswers++
    }
    return ACCEPTED
  }
  return receiveContent(state, msg, now, from)
}

function receiveContent (state: ChannelState, msg: ReliableMessage, now: number, from: string | undefined): ReceiveResult {
  state.bloom.add(msg.messageId, now)
  state.missing.delete(msg.messageId)
  state.repairs.delete(msg.messageId)
  const scan = scanDependencies(state, msg, now, from)
  if (scan === undefined || scan.waitingOn.length === 0) {
    deliverNow(state, msg, scan?.gaps ?? NONE, scan?.beyond ?? NONE)
    state.sync.activity(now, state.recent.coveredBy(msg.causalHistory))
    return DELIVERED
  }
  makeRoom(state, now)
  // Eviction may have declared some of our dependencies lost (or delivered them).
  const still = new Set<MessageId>()
  for (const dep of scan.waitingOn) {
    if (isDelivered(state, dep)) continue
    if (!state.buffer.has(dep) && state.lost.has(dep)) scan.gaps.push(dep)
    else still.add(dep)
  }
  state.sync.activity(now, false)
  if (still.size === 0) {
    deliverNow(state, msg, scan.gaps, scan.beyond)
    return DELIVERED
  }
  state.buffer.add({ message: msg, waitingOn: still, gaps: scan.gaps, beyondCatchUp: scan.beyond, bufferedAt: now })
  return { status: 'buffered', waitingOn: [...still] }
}

/**
 * Sorts the ids named by `msg` into: already delivered (ignored), held in the buffer
 * or missing (`waitingOn`, pulled if not held), lost (`gaps`, repaired in the
 * background) and beyond the catch-up bound (`beyond`). Returns undefined when every
 * id is delivered (the common case, without allocating).
 */
function scanDependencies (state: ChannelState, msg: ReliableMessage, now: number, from: string | undefined): DepScan | undefined {
  const history = msg.causalHistory
  let i = 0
  while (i < history.length && isDelivered(state, history[i].messageId)) i++
  if (i === history.length) return undefined
  const scan: DepScan = { waitingOn: [], gaps: [], beyond: [] }
  const preJoin = msg.kind === 'content' && state.joinedAt !== undefined && msg.lamport < state.joinedAt
  // A pulled message is old: what it names is not in flight on the topic, so pull it now, and
  // deep (with the ancestors we lack): we are walking back a backlog. A gossiped message's
  // dependencies go deep only when it names a backlog (below): a single loss needs no filter.
  const scheduling = { immediate: from !== undefined, deep: from !== undefined && !preJoin }
  const noticed: MessageId[] = []
  for (; i < history.length; i++) {
    const entry = history[i]
    const dep = entry.messageId
    if (isDelivered(state, dep) || scan.waitingOn.includes(dep) || scan.gaps.includes(dep) || scan.beyond.includes(dep)) continue
    if (state.buffer.has(dep)) { scan.waitingOn.push(dep); continue }
    const holders = [entry.retrievalHint, msg.senderId, from].filter((p) => p !== state.selfId)
    if (state.lost.has(dep)) {
      scan.gaps.push(dep)
      state.repairs.add(dep, now, holders, scheduling)
      continue
    }
    if (state.missing.has(dep)) {
      state.missing.add(dep, now, holders, scheduling)
      scan.waitingOn.push(dep)
      continue
    }
    if (state.beyondCatchUp.has(dep)) { scan.beyond.push(dep); continue }
    if (preJoin) {
      if (state.catchUpRequested >= state.options.catchUpLimit) {
        state.beyondCatchUp.add(dep, now)
        scan.beyond.push(dep)
        continue
      }
      state.catchUpRequested++
    }
    state.missing.add(dep, now, holders, scheduling)
    noticed.push(dep)
    scan.waitingOn.push(dep)
  }
  if (!preJoin && from === undefined && noticed.length >= DEEP_BACKLOG_IDS) {
    for (const dep of noticed) state.missing.add(dep, now, [], { deep: true })
  }
  if (noticed.length > 0) state.events.push({ type: 'in:missing', ids: noticed })
  return scan
}

function drop (state: ChannelState, reason: DropReason, claimedId: unknown): ReceiveResult {
  state.counters.dropped[reason]++
  const messageId = isMessageId(claimedId) ? claimedId : undefined
  if (reason !== 'duplicate' && reason !== 'own') {
    state.events.push(messageId === undefined ? { type: 'in:dropped', reason } : { type: 'in:dropped', reason, messageId })
  }
  return DROPPED.get(reason) as ReceiveResult
}
