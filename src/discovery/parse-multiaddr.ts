/**
 * Validation of user-given multiaddrs (`--bootstrap`, `--listen`, `/connect`):
 * parse with the multiaddr library and check that our TCP transport can use
 * it, with a one-line reason when not.
 */

import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { P2pchatError } from '../errors.js'

const HOST_PROTOCOLS = new Set(['ip4', 'ip6', 'dns', 'dns4', 'dns6'])

function parse (input: string): Multiaddr {
  const text = input.trim()
  if (!text.startsWith('/')) {
    throw new P2pchatError('INVALID_MULTIADDR', `invalid multiaddr "${input}": it must start with "/", e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3Koo…`)
  }
  try {
    return multiaddr(text)
  } catch (err) {
    throw new P2pchatError('INVALID_MULTIADDR', `invalid multiaddr "${input}": ${(err as Error).message}`, { cause: err })
  }
}

/** A multiaddr we can dial: host + tcp port (+ optional /p2p/<id>), or /dnsaddr/… */
export function parseDialMultiaddr (input: string): Multiaddr {
  const ma = parse(input)
  const parts = ma.getComponents()
  const first = parts[0]
  if (first?.name === 'dnsaddr') return ma
  if (first === undefined || !HOST_PROTOCOLS.has(first.name) || parts[1]?.name !== 'tcp') {
    throw new P2pchatError('INVALID_MULTIADDR', `cannot dial "${input}": p2pchat speaks TCP, so give /ip4|ip6|dns/<host>/tcp/<port>[/p2p/<peer-id>]`)
  }
  const port = Number(parts[1].value)
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    throw new P2pchatError('INVALID_MULTIADDR', `cannot dial "${input}": tcp port must be 1-65535`)
  }
  return ma
}

/** A multiaddr we can listen on: /ip4|ip6/<addr>/tcp/<port> (port 0 = any). */
export function parseListenMultiaddr (input: string): Multiaddr {
  const ma = parse(input)
  const parts = ma.getComponents()
  if ((parts[0]?.name !== 'ip4' && parts[0]?.name !== 'ip6') || parts[1]?.name !== 'tcp' || parts.length !== 2) {
    throw new P2pchatError('INVALID_MULTIADDR', `cannot listen on "${input}": give /ip4/<addr>/tcp/<port> or /ip6/<addr>/tcp/<port>`)
  }
  return ma
}
