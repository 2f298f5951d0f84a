/**
 * The one error class of p2pchat. Every failure the program reports carries a
 * code from this union, so callers (and the CLI's exit path) can react by code.
 */

/** Every error code p2pchat raises. */
export type P2pchatErrorCode =
  | 'INVALID_FLAG'
  | 'INVALID_MULTIADDR'
  | 'DIAL_FAILED'
  | 'DIAL_TIMEOUT'
  | 'INVALID_COMMAND'
  | 'DECODE_FAILED'
  | 'NOT_STARTED'
  | 'IO_FAILED'
  | 'PROFILE_IN_USE'
  | 'STORE_CORRUPT'
  | 'STORE_VERSION'
  | 'KEY_INSECURE'
  | 'KEY_INVALID'
  | 'KEY_CONFLICT'
  | 'INVALID_OPTION'
  | 'INVALID_ARGUMENT'
  | 'CONTENT_TOO_LARGE'
  | 'INVALID_FIELD'
  | 'NOT_LEADER'
  | 'CHANGE_PENDING'

/** An error with a machine-readable code and an optional cause. */
export class P2pchatError extends Error {
  readonly code: P2pchatErrorCode

  constructor (code: P2pchatErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'P2pchatError'
    this.code = code
  }
}

/** True when `err` is a P2pchatError, optionally with the given code. */
export function isP2pchatError (err: unknown, code?: P2pchatErrorCode): err is P2pchatError {
  return err instanceof P2pchatError && (code === undefined || err.code === code)
}
