/**
 * The RainTree core's options: `Partial<RainTreeOptions>` merged over the named defaults and
 * validated, failing with `INVALID_OPTION`.
 */
import { P2pchatError } from '../errors.js'
import { mergeOptions, requirePositiveIntegers, requirePositiveNumbers } from '../shared/index.js'

/** How one peer's RainTree waits, remembers and (optionally) adds redundancy. */
export interface RainTreeOptions {
  /**
   * How long a sender waits for a target's ACK before it adjusts (one resend to the target's
   * successor in the list), ms. Several round trips on a loaded link, so a slow ACK rarely costs
   * a resend, and short enough that a silent target delays its run by half a second. @default 500
   */
  ackTimeoutMs: number
  /**
   * The spec's optional redundancy layer: the originator also sends every message to every other
   * member of its list at layer 0 (no ACKs, no forwarding). It makes the originator's upload O(N)
   * a message instead of O(log N), costs N − 1 − (the originator's tree targets) more sends a
   * broadcast (about double), and gives every member a copy straight from the originator,
   * whichever relays fail. @default false
   */
  redundancyLayer: boolean
  /** Message ids remembered for dedup, with the highest layer played for each. @default 4096 */
  dedupCapacity: number
  /** Sends awaiting an ACK at once; beyond it the one due first is dropped, unadjusted. @default 8192 */
  maxPendingAcks: number
}

/** The defaults, named. */
export const DEFAULT_RAINTREE_OPTIONS: Readonly<RainTreeOptions> = Object.freeze({
  ackTimeoutMs: 500,
  redundancyLayer: false,
  dedupCapacity: 4096,
  maxPendingAcks: 8192
})

/** Merges `options` over the defaults and validates them. */
export function resolveRainTreeOptions (options: Partial<RainTreeOptions> = {}): RainTreeOptions {
  const resolved = mergeOptions<RainTreeOptions>({ ...DEFAULT_RAINTREE_OPTIONS }, options)
  const fail = (message: string): never => { throw new P2pchatError('INVALID_OPTION', `raintree: ${message}`) }
  requirePositiveNumbers(resolved, ['ackTimeoutMs'], fail)
  requirePositiveIntegers(resolved, ['dedupCapacity', 'maxPendingAcks'], fail)
  if (typeof resolved.redundancyLayer !== 'boolean') fail(`redundancyLayer must be a boolean, got ${String(resolved.redundancyLayer)}`)
  return resolved
}
