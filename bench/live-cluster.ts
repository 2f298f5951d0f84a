/**
 * A cluster of live sessions in this process, on loopback, for benchmarks:
 * real libp2p nodes (TCP, Noise, Yamux, gossipsub, DHT) running the same
 * room and reliability code as the chat.
 */

import { LiveSession, type SessionOptions } from '../src/session/session.js'

/** Starts `n` sessions in `topic`, all bootstrapped from the first, and waits until each sees n-1 room peers. */
export async function startCluster (topic: string, n: number, options: (i: number) => Partial<SessionOptions> = () => ({}), timeoutMs = 60_000): Promise<LiveSession[]> {
  const sessions: LiveSession[] = []
  for (let i = 0; i < n; i++) {
    const bootstrap = i === 0 ? [] : [sessions[0].identity().addresses[0]]
    sessions.push(await LiveSession.start({ topic, nick: `n${i}`, localPort: 0, bootstrap, ...options(i) }))
  }
  const deadline = Date.now() + timeoutMs
  while (!sessions.every(s => s.topicPeerCount() >= Math.min(n - 1, 4))) {
    if (Date.now() > deadline) throw new Error(`cluster of ${n} did not form within ${timeoutMs} ms`)
    await new Promise(resolve => setTimeout(resolve, 50))
  }
  await new Promise(resolve => setTimeout(resolve, 2000)) // two gossipsub heartbeats: meshes grafted
  return sessions
}

/** Stops every session. */
export async function stopCluster (sessions: LiveSession[]): Promise<void> {
  await Promise.all(sessions.map(async s => { await s.stop().catch(() => {}) }))
}
