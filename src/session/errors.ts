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

/** Every message of `err` and of its causes and aggregated errors, with their names. */
function allText (err: unknown, depth = 0): string {
  if (depth > 4 || err === undefined || err === null) return ''
  if (!(err instanceof Error)) return String(err)
  let text = `${err.name}: ${err.message}`
  if (err instanceof AggregateError) for (const e of err.errors) text += '\n' + allText(e, depth + 1)
  if (err.cause !== undefined) text += '\n' + allText(err.cause, depth + 1)
  return text
}

/** Known dial failures, in our words: a pattern over the error's names and messages, and the reason. */
const DIAL_REASONS: ReadonlyArray<[RegExp, string]> = [
  [/ECONNREFUSED/, 'connection refused (nothing is listening there)'],
  [/UnexpectedPeerError|does not match expected remote identity|unexpected peer/i, 'the peer there has a different peer id than the address names (check the /p2p/ part)'],
  [/EHOSTUNREACH|ENETUNREACH|EADDRNOTAVAIL/, 'that host cannot be reached from this machine'],
  [/ENOTFOUND|EAI_AGAIN/, 'that host name does not resolve'],
  [/ECONNRESET|EPIPE|StreamResetError|ConnectionClosed/i, 'the other side closed the connection (is it a p2pchat or libp2p peer?)'],
  [/EncryptionFailedError|InvalidCryptoExchangeError|noise|handshake/i, 'the encrypted handshake failed (is it a p2pchat or libp2p peer?)'],
  [/MuxerUnavailableError|UnsupportedProtocolError|protocol selection failed/i, 'the other side speaks no protocol in common with p2pchat'],
  [/DialDeniedError|NoValidAddressesError|denied/i, 'that address is not allowed by the dial policy (public addresses need --public)'],
  [/TimeoutError|AbortError|timed out|ETIMEDOUT/i, 'timed out']
]

/**
 * Classifies a dial failure to `target` in one sentence of our own: a timeout, or the
 * reason from `DIAL_REASONS`, never the library's text (which stays on as the cause).
 * Our own P2pchatErrors (from the dial policy, say) keep their message.
 */
export function dialError (target: string, err: unknown): P2pchatError {
  if (err instanceof P2pchatError) return err
  const name = err instanceof Error ? err.name : ''
  if (name === 'TimeoutError' || name === 'AbortError') {
    return new P2pchatError('DIAL_TIMEOUT', `connecting to ${target} timed out`, { cause: err })
  }
  const text = allText(err)
  const reason = DIAL_REASONS.find(([pattern]) => pattern.test(text))?.[1] ?? 'the connection failed'
  if (reason === 'timed out') return new P2pchatError('DIAL_TIMEOUT', `connecting to ${target} timed out`, { cause: err })
  return new P2pchatError('DIAL_FAILED', `cannot connect to ${target}: ${reason}`, { cause: err })
}
