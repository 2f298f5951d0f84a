/**
 * A peer's newest open connection. After a restart over a lingering connection (the old
 * process frozen, its connection not yet known dead) the newest one leads to the live process.
 */
import type { Connection } from '@libp2p/interface'

/** The open connection opened last, or undefined when none is open. */
export function newestOpenConnection (connections: readonly Connection[]): Connection | undefined {
  let newest: Connection | undefined
  for (const c of connections) {
    if (c.status === 'open' && (newest === undefined || c.timeline.open > newest.timeline.open)) newest = c
  }
  return newest
}
