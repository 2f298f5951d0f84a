/**
 * The one error class of the reliability core. The core never throws on network
 * input (bad messages are dropped and counted); it throws only on programmer errors:
 * invalid options, or own content that is not bytes or is over the size cap.
 */

/** What went wrong. */
export type ReliabilityErrorCode = 'invalid-option' | 'invalid-argument' | 'content-too-large'

/** Thrown for invalid options and for own content that is not a Uint8Array or exceeds `maxContentBytes`. */
export class ReliabilityError extends Error {
  readonly code: ReliabilityErrorCode

  constructor (code: ReliabilityErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options)
    this.name = 'ReliabilityError'
    this.code = code
  }
}
