/**
 * libp2p 2+ has no autodialer: a peer found by mDNS (or any peer discovery
 * module) is only reported. This dials each discovered peer we are not yet
 * connected to.
 */

import type { Libp2p, PeerInfo } from '@libp2p/interface'

/** Dials peers reported by `peer:discovery`. Returns a function that stops it. */
export function dialDiscoveredPeers (node: Libp2p, log: (line: string) => void = () => {}): () => void {
  const onDiscovery = (evt: CustomEvent<PeerInfo>): void => {
    const peer = evt.detail
    if (peer.id.equals(node.peerId) || node.getConnections(peer.id).length > 0) return
    node.dial(peer.id, { signal: AbortSignal.timeout(5000) })
      .then(() => { log(`connected to discovered peer ${peer.id.toString()}`) })
      .catch((err: Error) => { log(`dial to discovered peer ${peer.id.toString()} failed: ${err.message}`) })
  }
  node.addEventListener('peer:discovery', onDiscovery)
  return () => { node.removeEventListener('peer:discovery', onDiscovery) }
}
