/**
 * Gossipsub's fast message id for chat: the signer and sequence number.
 */

/**
 * The signer and sequence number of a gossipsub message, which is exactly the spec'ed id under
 * StrictSign, so it is collision-free. Gossipsub checks its seen cache with this id before it
 * verifies a copy's signature, and caches it only after the message validated, so an invalid copy
 * cannot poison it; every later duplicate is then dropped without a second Ed25519 verification.
 */
export function fastMsgId (msg: { from?: Uint8Array, seqno?: Uint8Array, data?: Uint8Array }): string {
  if (msg.from === undefined || msg.seqno === undefined) return `d${msg.data === undefined ? '' : Buffer.from(msg.data).toString('base64')}`
  return Buffer.from(msg.from).toString('base64') + Buffer.from(msg.seqno).toString('base64')
}
