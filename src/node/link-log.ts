/**
 * One log line per connection that opens or closes, saying whether it goes through a relay or
 * directly, so the log shows the relayed-then-direct sequence of a hole punch (DCUtR).
 */

import type { Connection, Libp2p } from '@libp2p/interface'

/** True for a connection through a circuit relay: the relay limits it, and its address has /p2p-circuit. */
export function isRelayedConnection (conn: Pick<Connection, 'limits' | 'remoteAddr'>): boolean {
  return conn.limits !== undefined || conn.remoteAddr.toString().includes('/p2p-circuit')
}

/** Logs `link open|closed <peer> relayed|direct <address>` lines; returns a function that stops. */
export function logLinks (node: Libp2p, log: (line: string) => void): () => void {
  const line = (what: string) => (evt: CustomEvent<Connection>): void => {
    const conn = evt.detail
    log(`link ${what} ${conn.remotePeer.toString()} ${isRelayedConnection(conn) ? 'relayed' : 'direct'} ${conn.remoteAddr.toString()}`)
  }
  const onOpen = line('open')
  const onClose = line('closed')
  node.addEventListener('connection:open', onOpen)
  node.addEventListener('connection:close', onClose)
  return () => {
    node.removeEventListener('connection:open', onOpen)
    node.removeEventListener('connection:close', onClose)
  }
}
