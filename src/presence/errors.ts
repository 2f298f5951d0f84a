/**
 * The one error class of the presence module. Like the reliability core it never
 * throws on network input (bad messages are dropped and counted); it throws only on
 * programmer errors: invalid options, or own fields over their length limit.
 */

/** What went wrong. */
export type PresenceErrorCode = 'invalid-option' | 'invalid-field'

/** Thrown for invalid options and for own nick / status / client text over its limit. */
export class PresenceError extends Error {
  readonly code: PresenceErrorCode

  constructor (code: PresenceErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'PresenceError'
    this.code = code
  }
}
