/**
 * The connection gater that keeps p2pchat off the public internet unless the
 * user said `--public`: without it we dial only private, loopback and
 * link-local addresses, plus the exact hosts the user named (`--bootstrap`,
 * `/connect`). DNS names are resolved only with `--public`. It also consults a
 * peer blocklist, which partition tests and the simulator use to cut a node off
 * (connections refused both ways) and heal it again.
 */

import { isPrivate } from '@libp2p/utils'
import type { ConnectionGater, PeerId } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** The hosts a user named explicitly; dials to them are allowed even when public. */
export class ExplicitHosts {
  private readonly hosts = new Set<string>()

  /** Allows dialing the host of `ma` (its first address component). */
  allow (ma: Multiaddr): void {
    const host = hostOf(ma)
    if (host !== undefined) this.hosts.add(host)
  }

  has (ma: Multiaddr): boolean {
    const host = hostOf(ma)
    return host !== undefined && this.hosts.has(host)
  }
}

function hostOf (ma: Multiaddr): string | undefined {
  const first = ma.getComponents()[0]
  return first?.value
}

/** Peers we refuse to connect with, in either direction, until removed. */
export class PeerBlocklist {
  private readonly peers = new Set<string>()

  block (peer: PeerId | string): void {
    this.peers.add(peer.toString())
  }

  unblock (peer: PeerId | string): void {
    this.peers.delete(peer.toString())
  }

  clear (): void {
    this.peers.clear()
  }

  has (peer: PeerId | string): boolean {
    return this.peers.has(peer.toString())
  }
}

/** Builds the gater. With `allowPublic`, every address may be dialed. */
export function createDialPolicy (allowPublic: boolean, explicit: ExplicitHosts, blocklist: PeerBlocklist = new PeerBlocklist()): ConnectionGater {
  return {
    denyDialPeer: (peer: PeerId) => blocklist.has(peer),
    denyInboundEncryptedConnection: (peer: PeerId) => blocklist.has(peer),
    denyOutboundEncryptedConnection: (peer: PeerId) => blocklist.has(peer),
    denyDialMultiaddr (ma: Multiaddr): boolean {
      if (allowPublic) return false
      if (explicit.has(ma)) return false
      const first = ma.getComponents()[0]
      if (first === undefined) return true
      if (first.name === 'ip4' || first.name === 'ip6') return !isPrivate(ma)
      // dns/dnsaddr/unix and anything else: only with --public or when named explicitly
      return true
    }
  }
}
