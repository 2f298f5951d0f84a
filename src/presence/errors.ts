/**
 * The presence module's errors: the project's one error class (`P2pchatError`)
 * with the codes presence uses. Like the reliability core it never throws on
 * network input (bad messages are dropped and counted); it throws only on
 * programmer errors: invalid options, or own fields over their length limit.
 */

import { P2pchatError, type P2pchatErrorCode } from '../errors.js'

/** The codes the presence module throws with. */
export type PresenceErrorCode = Extract<P2pchatErrorCode, 'INVALID_OPTION' | 'INVALID_FIELD'>

/** A P2pchatError with a presence code. */
export function presenceError (code: PresenceErrorCode, message: string): P2pchatError {
  return new P2pchatError(code, message)
}
