/**
 * Gossipsub overrides for live runs: the mesh flags (`--D`, `--Dlo`, `--Dhi`,
 * `--heartbeat`) and the three cost levers the benchmarks compare
 * (`--flood-publish`, `--fast-msg-id`, `--idontwant`); unset
 * flags keep the chat's own settings (`chatGossipsubOptions`).
 */

import type { GossipsubOpts } from '@libp2p/gossipsub'
import { fastMsgId } from '../node/fast-msg-id.js'
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
  if (tuning.fastMsgId !== undefined) out.fastMsgIdFn = tuning.fastMsgId ? fastMsgId : undefined
  return out
}
