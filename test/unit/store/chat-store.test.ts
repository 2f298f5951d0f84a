import { join } from 'node:path'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import { Key } from 'interface-datastore'
import { describe, expect, it } from 'vitest'
import { P2pchatError } from '../../../src/errors.js'
import { ReliableChannel, type ReliableMessage } from '../../../src/reliability/index.js'
import { openStore, type ChatStore, type StoredSignature } from '../../../src/store/index.js'
import { encodeChatMessage } from '../../../src/wire/index.js'
import { bytes, channel, ROOM, talk, tempDir } from './helpers.js'

type Backend = 'memory' | 'level'

async function open (backend: Backend, path?: string, now = (): number => 2_000_000): Promise<ChatStore> {
  const dir = path ?? (backend === 'level' ? join(await tempDir(), 'store') : undefined)
  return await openStore({ profile: 'test', path: dir, now })
}

async function rejection (work: Promise<unknown>): Promise<P2pchatError> {
  try {
    await work
  } catch (err) {
    if (err instanceof P2pchatError) return err
    throw err
  }
  throw new Error('expected a rejection')
}

describe.each<Backend>(['memory', 'level'])('ChatStore (%s)', (backend) => {
  it('stores own and delivered messages; loads the newest in canonical order; answers by id', async () => {
    const store = await open(backend)
    const msgs = talk(20)
    for (const m of [...msgs].reverse()) {
      if (m.senderId === 'alice') await store.appendOwn(ROOM, m)
      else await store.appendDelivered(ROOM, m)
    }
    await store.appendOwn(ROOM, msgs[0]) // idempotent
    const recent = await store.loadRecent(ROOM, 5)
    expect(recent.map((e) => e.message)).toEqual(msgs.slice(-5))
    expect((await store.loadRecent(ROOM, 100)).length).toBe(20)
    const found = await store.getMessages(ROOM, [msgs[7].messageId, 'f'.repeat(32), 'junk', msgs[2].messageId, msgs[7].messageId])
    expect(found.map((e) => e.message)).toEqual([msgs[7], msgs[2]])
    expect(await store.getMessages('p2pchat/other', [msgs[2].messageId])).toEqual([])
    await store.close()
  })

  it('keeps a signed record and answers with the exact signed bytes', async () => {
    const store = await open(backend)
    const key = await generateKeyPair('Ed25519')
    const peerId = peerIdFromPrivateKey(key)
    const sender = new ReliableChannel(peerId.toString(), ROOM)
    const msg = sender.send(bytes('signed line'), 1_000_000)
    const data = encodeChatMessage({ ...msg, causalHistory: msg.causalHistory.map((h) => ({ messageId: h.messageId })), senderId: peerId.toMultihash().bytes })
    const signed: StoredSignature = { from: peerId.toMultihash().bytes, data, seqno: new Uint8Array(8).fill(1), signature: new Uint8Array(64).fill(7) }
    await store.appendDelivered(ROOM, msg, signed)
    const [entry] = await store.getMessages(ROOM, [msg.messageId])
    expect(entry.message).toEqual(msg)
    const plain = (s: object): object => Object.fromEntries(Object.entries(s).map(([k, v]) => [k, new Uint8Array(v as Uint8Array)]))
    expect(plain(entry.signed as StoredSignature)).toEqual(plain(signed))
    expect(entry.storedAt).toBe(2_000_000)
    await store.close()
  })

  it('loadRoom gives restore input: newest messages, older ids for dedup, unacked own messages and the clock', async () => {
    const store = await open(backend)
    const msgs = talk(30)
    for (const m of msgs) await store.appendDelivered(ROOM, m)
    const me = channel('carol')
    for (const m of msgs) me.receive(m, 1_000_100)
    const mine = [me.send(bytes('one'), 1_000_200), me.send(bytes('two'), 1_000_201), me.send(bytes('three'), 1_000_202)]
    for (const m of mine) await store.appendOwn(ROOM, m)
    // 'one' was acked before this save; 'two' was sent before it and is still unacked (1 resend); 'three' came after it.
    await store.saveState(ROOM, { lamport: mine[1].lamport, unacked: [{ messageId: mine[1].messageId, resends: 1 }] })

    const loaded = await store.loadRoom(ROOM, { messages: 10, seen: 100 })
    expect(loaded.entries.map((e) => e.message)).toEqual([...msgs.slice(-7), ...mine])
    expect(loaded.restore.seen?.map((s) => s.messageId)).toEqual(msgs.slice(0, 23).map((m) => m.messageId))
    expect(loaded.restore.seen?.[0].at).toBe(msgs[0].lamport)
    expect(loaded.restore.unacked).toEqual([
      { messageId: mine[1].messageId, resends: 1 },
      { messageId: mine[2].messageId, resends: 0 }
    ].sort((a, b) => a.messageId.localeCompare(b.messageId)))
    expect(loaded.restore.lamport).toBe(mine[1].lamport)
    expect(loaded.state).toMatchObject({ v: 1, lamport: mine[1].lamport })

    const restored = ReliableChannel.fromSnapshot('carol', ROOM, { jitter: 0 }, loaded.restore, 3_000_000)
    expect(restored.history()).toEqual([...msgs.slice(-7), ...mine])
    expect(restored.status()).toMatchObject({ lamport: mine[2].lamport, unacknowledged: 2 })
    expect(restored.receive(msgs[0], 3_000_001)).toEqual({ status: 'dropped', reason: 'duplicate' }) // beyond the window: seen ids
    expect(restored.receive(msgs[29], 3_000_001)).toEqual({ status: 'dropped', reason: 'duplicate' }) // in the window
    expect(restored.drainEvents()).toEqual([])
    expect(restored.send(bytes('four'), 1).lamport).toBe(mine[2].lamport + 1)
    await store.close()
  })

  it('an unacked own message older than the loaded window is still restored', async () => {
    const store = await open(backend)
    const me = channel('carol')
    const old = me.send(bytes('old and unacked'), 1_000_000)
    await store.appendOwn(ROOM, old)
    for (const m of talk(20, 1_000_100)) await store.appendDelivered(ROOM, m)
    const loaded = await store.loadRoom(ROOM, { messages: 5 })
    expect(loaded.restore.unacked).toEqual([{ messageId: old.messageId, resends: 0 }])
    expect(loaded.restore.messages?.map((m) => m.messageId)).toContain(old.messageId)
    await store.close()
  })

  it('saves the nick', async () => {
    const store = await open(backend)
    expect(await store.getNick()).toBeUndefined()
    await store.setNick('alice')
    expect(await store.getNick()).toBe('alice')
    await store.close()
  })

  it('shares the datastore with libp2p without touching its keys', async () => {
    const store = await open(backend)
    const ds = store.datastore
    await ds.put(new Key('/peers/QmPeer'), bytes('peer record'))
    await ds.put(new Key('/p2pchat-dht/record'), bytes('dht record'))
    for (const m of talk(10)) await store.appendDelivered(ROOM, m)
    await store.enforceRetention(ROOM)
    expect(new Uint8Array(await ds.get(new Key('/peers/QmPeer')))).toEqual(bytes('peer record'))
    const ours: string[] = []
    for await (const key of ds.queryKeys({ prefix: '/p2pchat/' })) ours.push(key.toString())
    expect(ours.length).toBe(21) // meta + 10 messages + 10 index entries
    expect(ours.every((k) => k.startsWith('/p2pchat/'))).toBe(true)
    const peers: string[] = []
    for await (const key of ds.queryKeys({ prefix: '/peers/' })) peers.push(key.toString())
    expect(peers).toEqual(['/peers/QmPeer'])
    await store.close()
  })

  it('a damaged record: loadRoom fails with STORE_CORRUPT and the repair path; getMessages skips it', async () => {
    const store = await open(backend)
    const msgs = talk(5)
    for (const m of msgs) await store.appendDelivered(ROOM, m)
    const target = msgs[2]
    const keyOf = `/p2pchat/r/${Buffer.from(ROOM).toString('base64url')}/m/${target.lamport.toString(16).padStart(14, '0')}${target.messageId}`
    await store.kv.write([{ type: 'put', key: keyOf, value: bytes('garbage garbage') }], false)
    const err = await rejection(store.loadRoom(ROOM))
    expect(err.code).toBe('STORE_CORRUPT')
    expect(err.message).toMatch(/is damaged \(bad record of [0-9a-f]{32}: .*\); run with --repair to move the damaged store aside to .*\.corrupt-<time> and start fresh \(your key is kept\)$/)
    expect((await store.getMessages(ROOM, msgs.map((m) => m.messageId))).length).toBe(4)
    expect(store.corruptRecords).toBe(1)
    // a record whose content was altered no longer matches its id
    const altered = { ...msgs[3], content: bytes('altered') }
    await store.kv.write([{ type: 'put', key: keyOf, value: (await import('../../../src/store/record-codec.js')).encodeStored({ ...altered, messageId: target.messageId, lamport: target.lamport }, 0) }], false)
    expect((await rejection(store.loadRecent(ROOM, 10))).message).toMatch(/does not match its id/)
    await store.close()
  })

  it('a bad state record is STORE_CORRUPT too', async () => {
    const store = await open(backend)
    await store.kv.write([{ type: 'put', key: `/p2pchat/r/${Buffer.from(ROOM).toString('base64url')}/state`, value: bytes('{"v":1,') }], false)
    expect((await rejection(store.loadRoom(ROOM))).code).toBe('STORE_CORRUPT')
    await store.close()
  })

  it('appendOwn fails loudly after close (the driver must not show the message as sent)', async () => {
    const store = await open(backend)
    await store.close()
    await store.close()
    expect((await rejection(store.appendOwn(ROOM, talk(1)[0]))).code).toBe('IO_FAILED')
  })
})

describe('store format', () => {
  it('a store written by a newer p2pchat is refused with STORE_VERSION, not called corrupt', async () => {
    const path = join(await tempDir(), 'store')
    const store = await open('level', path)
    await store.kv.write([{ type: 'put', key: '/p2pchat/meta', value: bytes('{"format":99,"createdAt":0}') }], true)
    await store.close()
    expect((await rejection(open('level', path))).code).toBe('STORE_VERSION')
  })

  it('records without a format record are STORE_CORRUPT; other apps\' keys are not ours', async () => {
    const path = join(await tempDir(), 'store')
    const store = await open('level', path)
    await store.kv.write([{ type: 'del', key: '/p2pchat/meta' }, { type: 'put', key: '/p2pchat-dht/x', value: bytes('x') }], true)
    await store.close()
    const reopened = await open('level', path) // only a libp2p key: a fresh store
    await reopened.appendDelivered(ROOM, talk(1)[0])
    await reopened.kv.write([{ type: 'del', key: '/p2pchat/meta' }], true)
    await reopened.close()
    expect((await rejection(open('level', path))).code).toBe('STORE_CORRUPT')
  })
})

describe('saveState', () => {
  it('clears markers of settled own messages, keeps newer ones', async () => {
    const store = await open('memory')
    const me = channel('carol')
    const sent: ReliableMessage[] = []
    for (let i = 0; i < 4; i++) {
      sent.push(me.send(bytes(`m${i}`), 1_000_000 + i))
      await store.appendOwn(ROOM, sent[i])
    }
    await store.saveState(ROOM, { lamport: sent[2].lamport, unacked: [] })
    expect((await store.loadRoom(ROOM)).restore.unacked?.map((u) => u.messageId)).toEqual([sent[3].messageId])
    await store.close()
  })

  it('keeps the own messages given up on, so their ✗ (and a late ✓) survive a restart', async () => {
    const store = await open('memory')
    const me = new ReliableChannel('carol', ROOM, { jitter: 0, maxResendAttempts: 0 })
    const lost = me.send(bytes('nobody heard'), 1_000_000)
    await store.appendOwn(ROOM, lost)
    for (let t = 1_000_000; t < 1_010_000; t += 500) me.tick(t)
    expect(me.snapshot({ messages: false, seen: false }).notConfirmed).toEqual([lost.messageId])
    await store.saveState(ROOM, me.snapshot({ messages: false, seen: false }))
    const loaded = await store.loadRoom(ROOM)
    expect(loaded.restore.notConfirmed).toEqual([lost.messageId])
    expect(loaded.restore.unacked).toEqual([])
    // Restored, it is watched again: a peer naming it later acknowledges it.
    const restored = ReliableChannel.fromSnapshot('carol', ROOM, { jitter: 0 }, loaded.restore, 2_000_000)
    const bob = channel('bob')
    bob.tick(2_000_000)
    bob.receive(lost, 2_000_010, 'dave')
    restored.receive(bob.send(bytes('got it'), 2_000_020), 2_000_030)
    expect(restored.drainEvents().filter(e => e.type === 'out:acknowledged')).toEqual([{ type: 'out:acknowledged', id: lost.messageId }])
    await store.close()
  })
})
