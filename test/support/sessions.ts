/**
 * Starts real LiveSessions on loopback for integration tests (no local anchor
 * port unless asked, OS-assigned ports) and records what each one delivers.
 */

import { LiveSession, type SessionOptions } from '../../src/session/session.js'
import type { ChatLine } from '../../src/session/types.js'

/** A session plus everything it delivered. */
export interface TestPeer {
  session: LiveSession
  lines: ChatLine[]
  /** Texts received from others, in delivery order. */
  texts: () => string[]
  /** The first listen address including /p2p/<id>. */
  addr: string
}

/** Starts a session on loopback and records its deliveries. */
export async function startPeer (options: Partial<SessionOptions> = {}): Promise<TestPeer> {
  const session = await LiveSession.start({ localPort: 0, listen: ['/ip4/127.0.0.1/tcp/0'], ...options })
  const lines: ChatLine[] = []
  session.addEventListener('message', evt => { lines.push(evt.detail) })
  return {
    session,
    lines,
    texts: () => lines.filter(l => !l.own).map(l => l.text),
    addr: session.identity().addresses[0]
  }
}

/** Stops all peers, ignoring errors. */
export async function stopAll (peers: Array<TestPeer | undefined>): Promise<void> {
  await Promise.all(peers.map(async p => { await p?.session.stop().catch(() => {}) }))
}
