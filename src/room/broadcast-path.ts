/**
 * The seam between a room and the ways its messages travel. Gossipsub is the
 * first path; a structured fan-out (RainTree) is meant to be the second. A path
 * moves signed chat messages; the room dedups, checks and orders what any path
 * brings, and counts "sent" and "peers" over all of them.
 */
import type { PeerId } from '@libp2p/interface'
import type { ReliableMessage } from '../reliability/index.js'
import type { SignedRecord } from './signed-record.js'

/** The room's verdict on an inbound copy, before a path forwards it. */
export type PathVerdict = 'accept' | 'ignore' | 'reject'

/** A copy a path accepted, converted for the core, with the sender's signed record. */
export interface InboundCopy {
  msg: ReliableMessage
  record: SignedRecord
}

/** What a path calls back into the room. */
export interface PathHandler {
  /**
   * Checks the bytes of a copy whose signature the path's transport already verified (signed by
   * `from`; undefined for an unsigned copy). Accepted copies come with the converted message,
   * which the path hands back to `deliver`.
   */
  check: (data: Uint8Array, from: PeerId | undefined) => { verdict: PathVerdict, msg?: ReliableMessage }
  /**
   * Checks a signed record whose signature nobody verified yet: dedup by message id first, so
   * a copy that already came by another path costs no verification. Resolves with the copy to
   * deliver, or undefined when it was dropped (and counted).
   */
  verify: (record: SignedRecord) => Promise<InboundCopy | undefined>
  /** Hands an accepted copy to the room. */
  deliver: (copy: InboundCopy) => void
  /** Counts a copy the path dropped, by reason. */
  drop: (reason: string) => void
  /** The path's set of peers changed. */
  membership: () => void
  /** A peer said on this path that it left the room (a clean leave). */
  departed: (peerId: string) => void
}

/** One way a room's messages travel. */
export interface BroadcastPath {
  /** A short name for status output (`gossipsub`, …). */
  readonly name: string
  /** Joins the room's topic on this path; inbound copies go to `handler`. */
  start: (handler: PathHandler) => Promise<void>
  /** Sends an encoded message; resolves with how many peers it went to directly. */
  publish: (msg: ReliableMessage, bytes: Uint8Array) => Promise<number>
  /** Peers in the room as this path sees them. */
  peers: () => string[]
  /** True when this path can send to the peer now. */
  canSendTo: (peerId: string) => boolean
  /** Leaves the topic on this path. */
  stop: () => Promise<void>
}
