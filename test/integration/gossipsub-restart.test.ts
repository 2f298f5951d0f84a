/**
 * go-libp2p-pubsub #133 on js-libp2p: a peer restarts with the same key while its old
 * connection is still open. Gossipsub must move both directions onto the new connection
 * (send our subscriptions there, take its messages), and keep them there when the old
 * connection dies, instead of holding on to a stream of the old process.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { Message } from '@libp2p/gossipsub'
import { createChatNode, type ChatNode } from '../../src/node/create-node.js'
import { hasOutboundStream, streamFollowerCounts } from '../../src/node/gossipsub-restart.js'
import { waitFor } from '../support/wait.js'

const TOPIC = 'restart-133'
let nodes: ChatNode[] = []
afterEach(async () => { await Promise.all(nodes.map(async n => { try { await n.stop() } catch {} })); nodes = [] })

async function start (privateKey?: Awaited<ReturnType<typeof generateKeyPair>>): Promise<{ node: ChatNode, texts: string[] }> {
  const node = await createChatNode({ listen: ['/ip4/127.0.0.1/tcp/0'], ...(privateKey !== undefined ? { privateKey } : {}) })
  nodes.push(node)
  const texts: string[] = []
  node.services.pubsub.addEventListener('message', (evt: CustomEvent<Message>) => {
    if (evt.detail.topic === TOPIC) texts.push(new TextDecoder().decode(evt.detail.data))
  })
  node.services.pubsub.subscribe(TOPIC)
  return { node, texts }
}

const say = async (node: ChatNode, text: string): Promise<void> => {
  await node.services.pubsub.publish(TOPIC, new TextEncoder().encode(text)).catch(() => {})
}

/** Publishes `text-n` every 100 ms until `seen()` holds (a publish may find no subscriber yet). */
async function until (node: ChatNode, text: string, seen: (t: string[]) => boolean, texts: string[], what: string): Promise<void> {
  let n = 0
  await waitFor(async () => {
    if (texts.some(t => t.startsWith(text))) return true
    await say(node, `${text}-${n++}`)
    return seen(texts)
  }, what, 15_000, 100)
}

type Peer = Awaited<ReturnType<typeof start>>

/** `a` chats with `old` (key K); then `fresh` starts with key K while old's connection stays open, and both ways work. */
async function restartOverLingering (): Promise<{ a: Peer, old: Peer, fresh: Peer }> {
  const a = await start()
  const key = await generateKeyPair('Ed25519')
  const old = await start(key)
  await old.node.dial(a.node.getMultiaddrs()[0])
  await until(old.node, 'old to a', t => t.some(x => x.startsWith('old to a')), a.texts, 'the old process reaching a')
  // The old process freezes (its connection stays open); a new one starts with the same key.
  const fresh = await start(key)
  await fresh.node.dial(a.node.getMultiaddrs()[0])
  await waitFor(() => a.node.getConnections(fresh.node.peerId).length === 2, 'two connections at a')
  await until(a.node, 'a to new', t => t.some(x => x.startsWith('a to new')), fresh.texts, 'a reaching the new process')
  await until(fresh.node, 'new to a', t => t.some(x => x.startsWith('new to a')), a.texts, 'the new process reaching a')
  return { a, old, fresh }
}

/** After the old connection is gone: both ways still work with `fresh`. */
async function stillBothWays (a: Peer, fresh: Peer): Promise<void> {
  await waitFor(() => a.node.getConnections(fresh.node.peerId).length === 1, 'the old connection gone at a')
  expect(hasOutboundStream(a.node.services.pubsub, fresh.node.peerId.toString())).toBe(true)
  await until(a.node, 'a after', t => t.some(x => x.startsWith('a after')), fresh.texts, 'a reaching the new process after the old died')
  await until(fresh.node, 'new after', t => t.some(x => x.startsWith('new after')), a.texts, 'the new process reaching a after the old died')
}

describe('gossipsub: a peer restarting over a connection that has not died yet', () => {
  it('moves both directions to the new connection, and keeps them there when the old one closes', async () => {
    const { a, old, fresh } = await restartOverLingering()
    expect(streamFollowerCounts(a.node.services.pubsub).moved).toBeGreaterThanOrEqual(1)
    await old.node.stop()
    await stillBothWays(a, fresh)
  })

  it('survives the old connection dying abruptly (reset, not closed)', async () => {
    const { a, fresh } = await restartOverLingering()
    const [oldest] = a.node.getConnections(fresh.node.peerId).sort((x, y) => x.timeline.open - y.timeline.open)
    oldest.abort(new Error('the frozen process is gone'))
    await stillBothWays(a, fresh)
  })
})
