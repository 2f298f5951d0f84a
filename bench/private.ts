/**
 * Private rooms' cost (issue 19). Per message: sealing and opening a chat line's content with
 * XChaCha20-Poly1305 (µs, median of batches), and the bytes it adds. Live: a private room and a
 * plain room of the same size in one process, lines sent interleaved (alternating which goes
 * first), latency from the send call to each other node's delivery; the private/plain median
 * ratio is the figure (target ≤ 1.10).
 */
import { performance } from 'node:perf_hooks'
import { randomBytes } from 'node:crypto'
import { RoomSealer } from '../src/room/room-sealer.js'
import { formatInvite, NONCE_BYTES, roomSecrets, TAG_BYTES } from '../src/private/index.js'
import { computeMessageId, type ReliableMessage } from '../src/reliability/index.js'
import { encodeChatContent } from '../src/wire/index.js'
import type { LiveSession } from '../src/session/session.js'
import { startCluster, stopCluster } from './live-cluster.js'
import { summarize, ms } from './stats.js'

const TOPIC_KEY = new Uint8Array(randomBytes(32))

/** Median µs per seal and per open of a typical line, over `batches` batches of `perBatch`. */
function microCost (batches = 30, perBatch = 1000): { sealUs: number, openUs: number, plainBytes: number, sealedBytes: number } {
  const secrets = roomSecrets(TOPIC_KEY)
  const sealer = new RoomSealer(secrets, n => new Uint8Array(randomBytes(n)))
  const plain = encodeChatContent({ nick: 'alice', text: 'the build is green again, shipping the release candidate after lunch', action: false })
  const sender = '12D3KooWG4CinpUjT7Cd1bkGwbacfBqd72KUvDoy1CwGpLHkWqxr'
  const seal: number[] = []
  const open: number[] = []
  let sealed: Uint8Array = new Uint8Array(0)
  for (let b = 0; b < batches; b++) {
    const messages: ReliableMessage[] = []
    let t0 = performance.now()
    for (let i = 0; i < perBatch; i++) {
      const lamport = 1_767_225_600_000 + b * perBatch + i
      sealed = sealer.seal(plain, 'content', secrets.topic, sender, lamport)
      messages.push({ kind: 'content', senderId: sender, channelId: secrets.topic, lamport, causalHistory: [], bloomFilter: new Uint8Array(0), content: sealed, messageId: '' })
    }
    seal.push((performance.now() - t0) * 1000 / perBatch)
    for (const m of messages) m.messageId = computeMessageId(m)
    t0 = performance.now()
    for (const m of messages) if (sealer.opened(m) === undefined) throw new Error('a sealed line did not open')
    open.push((performance.now() - t0) * 1000 / perBatch)
  }
  return { sealUs: summarize(seal).median, openUs: summarize(open).median, plainBytes: plain.byteLength, sealedBytes: sealed.byteLength }
}

/** Runs both measurements; returns report lines and figures. */
export async function runPrivate (nodes = 8, rounds = 100, intervalMs = 30): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const micro = microCost()
  const invite = formatInvite({ name: `bench-${process.pid}`, key: TOPIC_KEY })
  const plainRoom = await startCluster(`private-bench-plain-${process.pid}`, nodes)
  const privateRoom = await startCluster('unused', nodes, () => ({ join: invite }))
  const latencies = { private: [] as number[], plain: [] as number[] }
  const sentAt = new Map<string, number>()
  const listen = (sessions: LiveSession[], into: number[]): void => {
    for (const s of sessions) {
      s.addEventListener('message', evt => {
        if (evt.detail.own) return
        const t0 = sentAt.get(evt.detail.text)
        if (t0 !== undefined) into.push(performance.now() - t0)
      })
    }
  }
  listen(plainRoom, latencies.plain)
  listen(privateRoom, latencies.private)
  let seed = 11
  const next = (): number => { seed = (seed * 1103515245 + 12345) % 2147483648; return seed / 2147483648 }
  for (let i = 0; i < rounds; i++) {
    const at = Math.floor(next() * nodes)
    const order = i % 2 === 0 ? (['private', 'plain'] as const) : (['plain', 'private'] as const)
    for (const mode of order) {
      const text = `${mode}-${i}`
      sentAt.set(text, performance.now())
      await (mode === 'private' ? privateRoom : plainRoom)[at].send(text)
    }
    await new Promise(resolve => setTimeout(resolve, intervalMs))
  }
  await new Promise(resolve => setTimeout(resolve, 3000))
  await stopCluster([...plainRoom, ...privateRoom])
  const p = summarize(latencies.private)
  const q = summarize(latencies.plain)
  const expected = rounds * (nodes - 1)
  const ratio = p.median / q.median
  return {
    figures: { micro, private: p, plain: q, expected, ratio },
    lines: [
      `private rooms: sealing cost per line (${micro.plainBytes} bytes of content -> ${micro.sealedBytes} sealed, +${NONCE_BYTES + TAG_BYTES} bytes: nonce and tag)`,
      `  seal ${micro.sealUs.toFixed(1)} µs  open ${micro.openUs.toFixed(1)} µs  (median of 30 batches of 1,000)`,
      `live latency: a private and a plain room of ${nodes} nodes each in one process, ${rounds} lines each, one every ${intervalMs} ms, interleaved`,
      `  private  delivered ${latencies.private.length}/${expected}  median ${ms(p.median)}  p90 ${ms(p.p90)}  p99 ${ms(p.p99)}`,
      `  plain    delivered ${latencies.plain.length}/${expected}  median ${ms(q.median)}  p90 ${ms(q.p90)}  p99 ${ms(q.p99)}`,
      `  private/plain median ratio ${ratio.toFixed(2)}  (target: <= 1.10)`
    ]
  }
}
