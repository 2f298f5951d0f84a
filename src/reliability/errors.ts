/**
 * The reliability core's errors: the project's one error class (`P2pchatError`)
 * with the codes the core uses. The core never throws on network input (bad
 * messages are dropped and counted); it throws only on programmer errors:
 * invalid options, or own content that is not bytes or is over the size cap.
 */

import { P2pchatError, type P2pchatErrorCode } from '../errors.js'

/** The codes the reliability core throws with. */
export type ReliabilityErrorCode = Extract<P2pchatErrorCode, 'INVALID_OPTION' | 'INVALID_ARGUMENT' | 'CONTENT_TOO_LARGE'>

/** A P2pchatError with a reliability code. */
export function reliabilityError (code: ReliabilityErrorCode, message: string): P2pchatError {
  return new P2pchatError(code, message)
}
