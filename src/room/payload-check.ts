/**
 * The room's gate for network input: decode a topic payload and check it
 * against the signed gossipsub envelope before anything reaches the
 * reliability core. Pure and synchronous; never throws.
 */

import { equals } from 'uint8arrays/equals'
import { isSealedTopic } from '../private/index.js'
import { decodeChatContent, decodeChatMessage, type WireMessage } from '../wire/index.js'

/** Why the room refused a payload (wire reasons plus envelope checks). */
export type PayloadDropReason =
  | 'oversized' | 'malformed' | 'unsupported-version' | 'unsupported-kind' | 'bad-field' | 'clock-skew'
  | 'unsigned' | 'forged-sender' | 'wrong-channel' | 'bad-content'

/**
 * Refusals that are no offence of the forwarding peer: a kind a later version added, and a
 * Lamport value far ahead of our clock (the forwarder's clock may be right). Gossipsub is told
 * Ignore for these (not forwarded, no penalty), Reject for every other refusal.
 */
export const BLAMELESS_REASONS: ReadonlySet<string> = new Set(['unsupported-kind', 'clock-skew'])

/** The outcome of checking one payload. */
export type PayloadCheck =
  | { ok: true, wire: WireMessage }
  | { ok: false, reason: PayloadDropReason, detail: string }

/**
 * Checks `data` received on `topic`, signed by the peer whose multihash is
 * `signerMultihash` (undefined when the message was unsigned).
 */
export function checkPayload (topic: string, data: Uint8Array, signerMultihash: Uint8Array | undefined): PayloadCheck {
  if (signerMultihash === undefined) return { ok: false, reason: 'unsigned', detail: 'unsigned message' }
  const decoded = decodeChatMessage(data)
  if (!decoded.ok) return decoded
  const wire = decoded.value
  if (!equals(wire.senderId, signerMultihash)) {
    return { ok: false, reason: 'forged-sender', detail: 'sender id differs from the signed gossipsub sender' }
  }
  if (wire.channelId !== topic) {
    return { ok: false, reason: 'wrong-channel', detail: `message for channel "${wire.channelId.slice(0, 64)}" arrived on "${topic}"` }
  }
  // A private room's content is sealed: whether it opens is the driver's check (a relay cannot make it).
  if (wire.kind === 'content' && !isSealedTopic(topic)) {
    const content = decodeChatContent(wire.content)
    if (!content.ok) return { ok: false, reason: 'bad-content', detail: content.detail }
  }
  return { ok: true, wire }
}
