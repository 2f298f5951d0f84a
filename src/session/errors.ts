/**
 * Turns libp2p dial failures into one-line P2pchatErrors a user can act on.
 */

import { P2pchatError } from '../errors.js'

/** A one-line message from any thrown value (AggregateErrors list their first cause). */
export function oneLine (err: unknown): string {
  if (err instanceof AggregateError && err.errors.length > 0) return oneLine(err.errors[0])
  const text = err instanceof Error ? err.message : String(err)
  return text.split('\n')[0].slice(0, 1000)
}

/** Classifies a dial failure to `target` as a timeout or a failure. */
export function dialError (target: string, err: unknown): P2pchatError {
  const name = err instanceof Error ? err.name : ''
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new P2pchatError('DIAL_TIMEOUT', `connecting to ${target} timed out`, { cause: err })
  }
  const detail = oneLine(err)
  const refused = /ECONNREFUSED/.test(detail) || (err instanceof AggregateError && err.errors.some(e => /ECONNREFUSED/.test(oneLine(e))))
  const reason = refused ? 'connection refused (nothing is listening there)' : detail
  return new P2pchatError('DIAL_FAILED', `cannot connect to ${target}: ${reason}`, { cause: err })
}
