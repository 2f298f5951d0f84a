/**
 * The room's gate for network input: decode a topic payload and check it
 * against the signed gossipsub envelope before anything reaches the
 * reliability core. Pure and synchronous; never throws.
 */

import { equals } from 'uint8arrays/equals'
import { decodeChatContent, decodeChatMessage, type WireMessage } from '../wire/index.js'

/** Why the room refused a payload (wire reasons plus envelope checks). */
export type PayloadDropReason =
  | 'oversized' | 'malformed' | 'unsupported-version' | 'bad-field' | 'clock-skew'
  | 'unsigned' | 'forged-sender' | 'wrong-channel' | 'bad-content'

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
  if (wire.kind === 'content') {
    const content = decodeChatContent(wire.content)
    if (!content.ok) return { ok: false, reason: 'bad-content', detail: content.detail }
  }
  return { ok: true, wire }
}
