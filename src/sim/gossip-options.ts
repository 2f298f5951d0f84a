/**
 * Gossipsub overrides for live runs: the mesh flags (`--D`, `--Dlo`, `--Dhi`,
 * `--heartbeat`) and the three cost levers the benchmarks compare
 * (`--flood-publish`, `--fast-msg-id`, `--idontwant`).
 */

import type { GossipsubOpts } from '@libp2p/gossipsub'
import type { GossipTuning } from './config.js'

/** Gossipsub options for a tuning (empty = the chat's own settings). */
export function gossipOptions (tuning: GossipTuning): Partial<GossipsubOpts> {
  const out: Partial<GossipsubOpts> = {}
  if (tuning.D !== undefined) out.D = tuning.D
  if (tuning.Dlo !== undefined) out.Dlo = tuning.Dlo
  if (tuning.Dhi !== undefined) out.Dhi = tuning.Dhi
  if (tuning.heartbeatMs !== undefined) out.heartbeatInterval = tuning.heartbeatMs
  if (tuning.floodPublish !== undefined) out.floodPublish = tuning.floodPublish
  if (tuning.idontwantMinBytes !== undefined) out.idontwantMinDataSize = tuning.idontwantMinBytes
  if (tuning.fastMsgId === true) out.fastMsgIdFn = fastMsgId
  return out
}

/**
 * A fast message id for gossipsub's duplicate check: the signer and sequence number, which is
 * exactly the spec'ed id under StrictSign, so it is collision-free. Gossipsub caches a fast id
 * only after the message validated, so an invalid copy cannot poison it; a later duplicate is
 * then dropped before its signature is verified again.
 */
export function fastMsgId (msg: { from?: Uint8Array, seqno?: Uint8Array, data?: Uint8Array }): string {
  if (msg.from === undefined || msg.seqno === undefined) return `d${msg.data === undefined ? '' : Buffer.from(msg.data).toString('base64')}`
  return Buffer.from(msg.from).toString('base64') + Buffer.from(msg.seqno).toString('base64')
}
