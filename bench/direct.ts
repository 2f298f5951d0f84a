/**
 * `npm run bench -- direct` (issue 19): direct messages between two live sessions on loopback.
 * 100 messages at 4 a second (each sent when the previous is ✓) and then 200 at once: the time
 * from send to the recipient's client (its `dm` event) and to the sender's ✓, and the bytes of a
 * signed message on the wire. Also: a message to an offline peer, from the peer's start to ✓.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { directSigningBytes, encodeDirectBatch, encodeDirectMessage } from '../src/direct/index.js'
import { LiveSession } from '../src/session/session.js'
import { percentile } from './stats.js'
import { until } from './until.js'

const start = async (nick: string, bootstrap: string[] = [], privateKey?: Awaited<ReturnType<typeof generateKeyPair>>): Promise<LiveSession> =>
  await LiveSession.start({ nick, topic: `bench-dm-${nick}`, localPort: 0, listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap, ...(privateKey === undefined ? {} : { privateKey }) })

/** Runs the direct-message benchmark. */
export async function runDirect (count = 200, paced = 100): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const alice = await start('alice')
  const bob = await start('bob', [alice.identity().addresses[0]])
  const sessions = [alice, bob]
  try {
    await until(() => alice.node.getConnections(bob.node.peerId).length > 0, 10_000, 1)
    const arrived = new Map<string, number>()
    const delivered = new Map<string, number>()
    bob.addEventListener('dm', evt => { arrived.set(evt.detail.id, performance.now()) })
    alice.addEventListener('dm:state', evt => { if (evt.detail.state === 'delivered') delivered.set(evt.detail.id, performance.now()) })
    const measure = (sent: Map<string, number>): { arrive: number[], tick: number[] } => ({
      arrive: [...sent].map(([id, at]) => (arrived.get(id) ?? Number.NaN) - at),
      tick: [...sent].map(([id, at]) => (delivered.get(id) ?? Number.NaN) - at)
    })
    // Typing pace: 4 a second, under the recipient's rate limit (5 a second after a burst of 30).
    const oneByOne = new Map<string, number>()
    for (let i = 0; i < paced; i++) {
      const t = performance.now()
      const line = alice.sendDirect(bob.peerId, `one by one ${i}`)
      oneByOne.set(line.id, t)
      await until(() => delivered.has(line.id), 10_000, 1)
      await new Promise(resolve => setTimeout(resolve, Math.max(0, 250 - (performance.now() - t))))
    }
    const burst = new Map<string, number>()
    for (let i = 0; i < count; i++) { const t = performance.now(); burst.set(alice.sendDirect(bob.peerId, `burst ${i}`).id, t) }
    await until(() => [...burst.keys()].every(id => delivered.has(id)), 120_000, 1)
    const a = measure(oneByOne)
    const b = measure(burst)
    // Offline: a message to a peer that starts later, from its start to ✓.
    const carolKey = await generateKeyPair('Ed25519')
    const waiting = alice.sendDirect(peerIdFromPrivateKey(carolKey).toString(), 'are you there?')
    await new Promise(resolve => setTimeout(resolve, 1_000))
    const carolStart = performance.now()
    const carol = await start('carol', [alice.identity().addresses[0]], carolKey)
    sessions.push(carol)
    await until(() => delivered.has(waiting.id), 30_000, 1)
    const offline = (delivered.get(waiting.id) ?? Number.NaN) - carolStart
    const bytes = encodeDirectMessage({ from: alice.peerId, to: bob.peerId, epoch: Date.now(), seq: 1, sentAt: Date.now(), nick: 'alice', text: 'x'.repeat(20), action: false })
    const frame = encodeDirectBatch([{ bytes, signature: new Uint8Array(64) }])
    void directSigningBytes
    const ms = (xs: number[], p: number): string => `${percentile(xs.filter(x => Number.isFinite(x)), p).toFixed(1)} ms`
    const lines = [
      '## direct messages (issue 19)', '',
      `Two live sessions on loopback; alice sends ${paced} direct messages to bob at 4 a second (each after the previous is ✓), then ${count} at once.`,
      `- at 4 a second: to bob's client p50 ${ms(a.arrive, 50)}, p99 ${ms(a.arrive, 99)}; to alice's ✓ p50 ${ms(a.tick, 50)}, p99 ${ms(a.tick, 99)}`,
      `- ${count} at once: to bob's client p50 ${ms(b.arrive, 50)}, p99 ${ms(b.arrive, 99)}; to ✓ p99 ${ms(b.tick, 99)} (the recipient takes a burst of 30, then 5 a second)`,
      `- all ${paced + count} delivered once: ${arrived.size === paced + count ? 'yes' : `no (${arrived.size})`}; in order: ${JSON.stringify([...arrived.keys()]) === JSON.stringify([...oneByOne.keys(), ...burst.keys()]) ? 'yes' : 'no'}`,
      `- a message to a peer that was offline: from its start to ✓ ${offline.toFixed(0)} ms`,
      `- wire: a 20-character message is ${bytes.byteLength} bytes, ${frame.byteLength} with its signature in a batch (before length prefix, Noise and Yamux)`
    ]
    return { lines, figures: { oneByOne: a, burst: b, offline, messageBytes: bytes.byteLength, frameBytes: frame.byteLength } }
  } finally {
    await Promise.all(sessions.map(async s => { await s.stop().catch(() => {}) }))
  }
}
