/**
 * Shared helpers of the reliability unit tests: byte encoding, forging well-formed
 * messages with correct ids, and filtering drained events by type.
 */
import {
  computeMessageId,
  ReliableChannel,
  type ChannelEvent,
  type ChannelOptions,
  type HistoryEntry,
  type MessageKind,
  type ReliableMessage
} from '../../../src/reliability/index.js'

export const CHANNEL = 'room'

/** UTF-8 bytes of a string. */
export function bytes (text: string): Uint8Array {
  return new TextEncoder().encode(text)
}

/** The text of a message's content. */
export function text (msg: ReliableMessage): string {
  return new TextDecoder().decode(msg.content)
}

/** A channel on `CHANNEL` with deterministic jitter-free timers unless overridden. */
export function channel (selfId: string, options: Partial<ChannelOptions> = {}): ReliableChannel {
  return new ReliableChannel(selfId, CHANNEL, { jitter: 0, ...options })
}

/** Fields of a message to forge; the id is computed unless given. */
export interface ForgeInput {
  kind?: MessageKind
  senderId?: string
  channelId?: string
  lamport?: number
  history?: Array<string | HistoryEntry>
  bloomFilter?: Uint8Array
  content?: Uint8Array | string
  messageId?: string
}

/** Builds a well-formed message (correct id unless `messageId` is given). */
export function forge (input: ForgeInput = {}): ReliableMessage {
  const content = typeof input.content === 'string' ? bytes(input.content) : (input.content ?? bytes('hello'))
  const base = {
    kind: input.kind ?? 'content',
    senderId: input.senderId ?? 'mallory',
    channelId: input.channelId ?? CHANNEL,
    lamport: input.lamport ?? 1000,
    causalHistory: (input.history ?? []).map((h) => typeof h === 'string' ? { messageId: h } : h),
    bloomFilter: input.bloomFilter ?? new Uint8Array(0),
    content: input.kind === 'sync' && input.content === undefined ? new Uint8Array(0) : content
  }
  return { ...base, messageId: input.messageId ?? computeMessageId(base) }
}

/** Events of one type from a list, narrowed. */
export function ofType<T extends ChannelEvent['type']> (events: ChannelEvent[], type: T): Array<Extract<ChannelEvent, { type: T }>> {
  return events.filter((e): e is Extract<ChannelEvent, { type: T }> => e.type === type)
}

/** Ids of the content messages delivered in a list of events, in order. */
export function deliveredIds (events: ChannelEvent[]): string[] {
  return ofType(events, 'in:delivered').map((e) => e.message.messageId)
}

/** Delivers every outgoing message of `from` to each of `to` (a perfect network step). */
export function relay (from: ReliableChannel, to: ReliableChannel[], now: number): ReliableMessage[] {
  const out = from.drainOutgoing()
  for (const msg of out) for (const peer of to) peer.receive(msg, now)
  return out
}
