/**
 * Validation of user-given multiaddrs (`--bootstrap`, `--listen`, `/connect`):
 * parse with the multiaddr library and check that our TCP transport can use
 * it, with a one-line reason when not.
 */

import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { base58btc } from 'multiformats/bases/base58'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { P2pchatError } from '../errors.js'

const HOST_PROTOCOLS = new Set(['ip4', 'ip6', 'dns', 'dns4', 'dns6'])

function parse (input: string): Multiaddr {
  const text = input.trim()
  if (!text.startsWith('/')) {
    throw new P2pchatError('INVALID_MULTIADDR', `invalid multiaddr "${input}": it must start with "/", e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3Koo…`)
  }
  let ma: Multiaddr
  try {
    ma = multiaddr(text)
  } catch (err) {
    throw new P2pchatError('INVALID_MULTIADDR', `invalid multiaddr "${input}": ${reasonOf(err)}`, { cause: err })
  }
  const peer = ma.getComponents().find(c => c.name === 'p2p')?.value
  if (peer !== undefined && !isPeerId(peer)) {
    throw new P2pchatError('INVALID_MULTIADDR', `invalid multiaddr "${input}": "${peer}" after /p2p/ is not a peer id (they look like 12D3KooW…)`)
  }
  return ma
}

/** The multiaddr library's complaint, in our words. */
function reasonOf (err: unknown): string {
  const message = err instanceof Error ? err.message : ''
  const unknown = /Protocol (\S+) was unknown/.exec(message)
  if (unknown !== null) return `"/${unknown[1]}" is not a protocol p2pchat knows; use /ip4, /ip6, /dns, /tcp and /p2p`
  if (/IPv4/.test(message)) return 'the /ip4/ part is not an IPv4 address like 192.0.2.7'
  if (/IPv6/.test(message)) return 'the /ip6/ part is not an IPv6 address like ::1'
  if (/integer|port/i.test(message)) return 'the /tcp/ part must be a port number'
  return 'it is not a valid address; give e.g. /ip4/192.0.2.7/tcp/4001/p2p/12D3KooW…'
}

/** True when `value` (the text after /p2p/) decodes as a peer id: a base58btc multihash or a CID. */
function isPeerId (value: string): boolean {
  try { Digest.decode(base58btc.baseDecode(value)); return true } catch {}
  try { CID.parse(value); return true } catch {}
  return false
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
