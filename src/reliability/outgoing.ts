/**
 * Creating own messages: content (delivered locally at once, tracked for acks,
 * queued for broadcast), ephemeral (no history, no acks, no storage) and sync
 * (empty content, current history and bloom filter; never stored or ordered).
 */
import { deliverNow } from './delivery.js'
import { reliabilityError } from './errors.js'
import { computeMessageId } from './message-id.js'
import { noteTime, type ChannelState } from './state.js'
import type { MessageKind, ReliableMessage } from './types.js'

const EMPTY = new Uint8Array(0)

/**
 * Content, or how to make it from the message's Lamport value (a private room seals content
 * bound to its place, so it needs the value before the message exists).
 */
export type ContentSource = Uint8Array | ((lamport: number) => Uint8Array)

function build (state: ChannelState, kind: MessageKind, source: ContentSource, now: number): ReliableMessage {
  noteTime(state, now)
  if (typeof source !== 'function' && !(source instanceof Uint8Array)) throw reliabilityError('INVALID_ARGUMENT', 'content must be a Uint8Array')
  const lamport = state.clock.peek(now)
  const content = typeof source === 'function' ? source(lamport) : source
  if (!(content instanceof Uint8Array)) throw reliabilityError('INVALID_ARGUMENT', 'content must be a Uint8Array')
  if (content.length > state.options.maxContentBytes) {
    throw reliabilityError('CONTENT_TOO_LARGE', `content is ${content.length} bytes, max ${state.options.maxContentBytes}`)
  }
  if (state.clock.next(now) !== lamport) throw reliabilityError('INVALID_ARGUMENT', 'the clock moved while content was made')
  const withHistory = kind !== 'ephemeral'
  const base = {
    kind,
    senderId: state.selfId,
    channelId: state.channelId,
    lamport,
    causalHistory: withHistory ? state.recent.entries(state.selfId, state.options.includeRetrievalHints) : [],
    bloomFilter: withHistory ? state.bloom.serialise() : EMPTY,
    content
  }
  return { ...base, messageId: computeMessageId(base) }
}

/** Creates, delivers locally, tracks and queues an own content message. */
export function sendContent (state: ChannelState, content: ContentSource, now: number): ReliableMessage {
  const msg = build(state, 'content', content, now)
  state.seenContent.add(msg.messageId, now)
  state.outgoing.push(msg)
  state.acks.track(msg, now)
  state.tail.sent(msg, now)
  state.events.push({ type: 'out:sent', id: msg.messageId })
  state.ackDebt.paid()
  deliverNow(state, msg, [], [])
  state.sync.activity(now, false)
  return msg
}

/** Creates and queues an own ephemeral message (not delivered locally, not tracked). */
export function sendEphemeral (state: ChannelState, content: ContentSource, now: number): ReliableMessage {
  const msg = build(state, 'ephemeral', content, now)
  state.seenOther.add(msg.messageId, now)
  state.outgoing.push(msg)
  state.events.push({ type: 'out:sent', id: msg.messageId })
  return msg
}

/** Creates and queues a sync message carrying the current history (caller checks it is non-empty). */
export function sendSync (state: ChannelState, now: number): ReliableMessage {
  const msg = build(state, 'sync', EMPTY, now)
  state.seenOther.add(msg.messageId, now)
  state.outgoing.push(msg)
  state.counters.syncsSent++
  state.ackDebt.paid()
  state.tail.named(msg.causalHistory)
  state.sync.activity(now, true)
  return msg
}
