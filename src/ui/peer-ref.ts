/**
 * Peers named on a command line (`/ban`, `/unban`): a full peer id is taken as is; a nick is
 * looked up, in any case, among the peers we know by nick (the roster, the stored lines, the
 * banned), and `nick#tag` (the tag lines show when two peers share a nick, the last 4 characters
 * of the peer id) picks one of several. Nicks are self-chosen, so a nick that more than one
 * peer uses is refused with the candidates listed, never guessed.
 */

import { P2pchatError } from '../errors.js'
import { peerLabel } from './format.js'

/** A peer id as libp2p prints it: base58btc, 46 characters or more (`12D3KooW…`, `Qm…`). */
const PEER_ID = /^[1-9A-HJ-NP-Za-km-z]{46,}$/

/** How many of the candidates an ambiguity error lists. */
const LISTED = 5

/** True when `text` has the shape of a full peer id. */
export function isPeerId (text: string): boolean {
  return PEER_ID.test(text)
}

/** The tag of a peer, as lines show it after a shared nick (`bob#Y3H8`). */
export function peerTag (peerId: string): string {
  return peerId.slice(-4)
}

/**
 * Peer id → nick from `sources` in order: a later source with a nick overrides an earlier
 * one (pass the roster last: it is the freshest); an empty nick never overrides.
 */
export function peerDirectory (sources: Iterable<{ peerId: string, nick?: string }>): Map<string, string> {
  const nicks = new Map<string, string>()
  for (const { peerId, nick } of sources) {
    if (nick !== undefined && nick !== '') nicks.set(peerId, nick)
    else if (!nicks.has(peerId)) nicks.set(peerId, '')
  }
  return nicks
}

/** The peers in `known` that `name` fits: as a nick (any case), else as `nick#tag`. */
function candidates (name: string, known: ReadonlyMap<string, string>): string[] {
  const lower = name.toLowerCase()
  const byNick = [...known].filter(([, nick]) => nick !== '' && nick.toLowerCase() === lower).map(([id]) => id)
  if (byNick.length > 0) return byNick
  const tagged = /^(.+)#([^#\s]+)$/.exec(name)
  if (tagged === null) return []
  const [, nick, tag] = tagged
  return [...known].filter(([id, n]) => n.toLowerCase() === nick.toLowerCase() && peerTag(id) === tag).map(([id]) => id)
}

/**
 * The peer id `name` stands for: itself when it is a full peer id, else the one peer of
 * `known` (peer id → nick) it names other than `self`. Throws a one-line
 * P2pchatError('INVALID_COMMAND') when it names none, only you, or several (listed).
 */
export function resolvePeer (name: string, known: ReadonlyMap<string, string>, self: string): string {
  if (isPeerId(name)) return name
  const all = candidates(name, known)
  const others = all.filter(id => id !== self)
  if (others.length === 1) return others[0]
  if (others.length > 1) {
    const listed = others.slice(0, LISTED).map(id => `${known.get(id) ?? ''}#${peerTag(id)} (${peerLabel(id)})`).join(', ')
    const more = others.length > LISTED ? ` and ${others.length - LISTED} more` : ''
    throw new P2pchatError('INVALID_COMMAND', `"${name}" is ${others.length} peers: ${listed}${more}; name one as nick#tag, or by its full peer id`)
  }
  if (all.length > 0) throw new P2pchatError('INVALID_COMMAND', `"${name}" is you`)
  throw new P2pchatError('INVALID_COMMAND', `no peer called "${name}" in the roster or the stored lines; give its full peer id`)
}
