/**
 * Direct messages between two peers: the plain data the pure core takes and gives. A message
 * belongs to its sender's stream toward one recipient (`epoch`, the sender's clock when the
 * stream began, and `seq` from 1), so the recipient delivers each exactly once and in order.
 */

/** Delivery state of one of our own direct messages. */
export type DirectState = 'pending' | 'delivered' | 'expired'

/** One direct message, as both ends keep it. */
export interface DirectMessage {
  /** 16 bytes as hex: SHA-256 over the signed message bytes, truncated. */
  id: string
  from: string
  to: string
  /** The sender's stream toward `to`: when it began (sender's clock, ms), and the place in it. */
  epoch: number
  seq: number
  /** Sender's clock when sent (ms). */
  sentAt: number
  /** The sender's nick when sent (not authenticated; the peer id is). */
  nick: string
  text: string
  action: boolean
}

/** A direct message as the UI shows it. */
export interface DirectLine extends DirectMessage {
  /** True when we sent it. */
  own: boolean
  /** Own messages: pending (not yet on the recipient's client), delivered (✓), expired (given up). */
  state?: DirectState
  /** When this peer received it (own: sent it). */
  receivedAt: number
  /** The other party of the conversation. */
  peer: string
}
