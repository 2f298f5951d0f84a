/**
 * A peer's newest open connection. After a restart over a lingering connection (the old
 * process frozen, its connection not yet known dead) the newest one leads to the live process.
 */
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'

/** The open connection opened last, or undefined when none is open. */
export function newestOpenConnection (connections: readonly Connection[]): Connection | undefined {
  let newest: Connection | undefined
  for (const c of connections) {
    if (c.status === 'open' && (newest === undefined || c.timeline.open > newest.timeline.open)) newest = c
  }
  return newest
}

/**
 * Opens a `protocol` stream to `peer` on its newest open connection, dialing only when none is
 * open (libp2p's `dialProtocol` would take the first connection, which after a restart over a
 * lingering connection may lead to a frozen process). Relayed connections are used too.
 */
export async function openStreamTo (node: Pick<Libp2p, 'getConnections' | 'dialProtocol'>, peer: PeerId, protocol: string, signal: AbortSignal): Promise<Stream> {
  const newest = newestOpenConnection(node.getConnections(peer))
  return newest !== undefined
    ? await newest.newStream(protocol, { signal, runOnLimitedConnection: true })
    : await node.dialProtocol(peer, protocol, { signal, runOnLimitedConnection: true })
}
