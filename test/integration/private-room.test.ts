/**
 * Private rooms on live sessions over loopback: three members who joined by invite chat; a
 * fourth node with the same room name but no key is in another room, and when it subscribes to
 * the derived topic by hand it reads nothing and its lines are dropped and counted by members;
 * a node on the topic without the key stores the sealed lines and serves them in repair to a
 * member who comes later, which reads them.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { formatInvite, roomSecrets } from '../../src/private/index.js'
import { memoryRoomKeys, openStore } from '../../src/store/index.js'
import { startPeer, stopAll, type TestPeer } from '../support/sessions.js'
import { waitFor } from '../support/wait.js'

let peers: TestPeer[] = []
afterEach(async () => { await stopAll(peers); peers = [] })

const KEY = Uint8Array.from({ length: 32 }, (_, i) => (i * 7 + 3) % 256)
const INVITE = formatInvite({ name: 'team', key: KEY })
const SECRETS = roomSecrets(KEY)

async function start (options: Parameters<typeof startPeer>[0]): Promise<TestPeer> {
  const peer = await startPeer(options)
  peers.push(peer)
  return peer
}

/** The derived topic's name as a plain `--topic` (what a node without the key would type). */
const BY_HAND = SECRETS.topic.replace(/^p2pchat\//, '')

describe('private rooms on live sessions', () => {
  it('three members chat; a node with the name but not the key finds nothing, and reads nothing on the topic', async () => {
    const alice = await start({ nick: 'alice', join: INVITE })
    expect(alice.session.room.names).toMatchObject({ name: 'team', topic: SECRETS.topic, rendezvous: SECRETS.rendezvous })
    expect(alice.session.invite()).toBe(INVITE)
    const bob = await start({ nick: 'bob', join: INVITE, bootstrap: [alice.addr] })
    const carol = await start({ nick: 'carol', join: INVITE, bootstrap: [alice.addr] })
    await waitFor(() => [alice, bob, carol].every(p => p.session.topicPeerCount() === 2), 'three members meet')

    // Same name, no key: another room altogether (topic and rendezvous differ).
    const guesser = await start({ nick: 'guesser', topic: 'team', bootstrap: [alice.addr] })
    expect(guesser.session.room.names.topic).not.toBe(SECRETS.topic)
    // And a node that got the derived topic somehow, subscribed by hand.
    const eve = await start({ nick: 'eve', topic: BY_HAND, bootstrap: [alice.addr] })
    expect(eve.session.room.names.topic).toBe(SECRETS.topic)
    await waitFor(() => alice.session.topicPeerCount() === 3, 'eve on the topic')

    await alice.session.send('from alice')
    await bob.session.send('from bob')
    await carol.session.send('from carol')
    await eve.session.send('from eve, who has no key')
    for (const [p, others] of [[alice, ['from bob', 'from carol']], [bob, ['from alice', 'from carol']], [carol, ['from alice', 'from bob']]] as const) {
      await waitFor(() => others.every(t => p.texts().includes(t)), `${p.session.nick} reads the other members`)
    }
    // Eve's line reaches members and is dropped there as a non-member's, counted.
    await waitFor(() => (alice.session.status().dropped['not-member'] ?? 0) > 0, "alice counts eve's line as not-member")
    // Members know each other's nicks (sealed presence), not eve's.
    await waitFor(() => alice.session.who().filter(e => !e.self).map(e => e.nick).sort().join() === 'bob,carol', 'alice sees bob and carol by nick')
    expect(alice.session.who().some(e => e.nick === 'eve')).toBe(false)
    for (const p of [alice, bob, carol]) expect(p.texts()).not.toContain('from eve, who has no key')
    // Eve holds the members' sealed lines and reads none of them; the guesser got nothing at all.
    await waitFor(() => eve.session.room.driver.channel.history().filter(m => m.kind === 'content').length >= 3, 'eve holds the sealed lines')
    expect(eve.lines.filter(l => !l.own)).toEqual([])
    expect(guesser.lines).toEqual([])
    expect(eve.session.who().filter(e => !e.self)).toEqual([])
  })

  it('a node on the topic without the key stores the sealed lines and serves them to a member who comes later', async () => {
    const relay = await start({ nick: 'relay', topic: BY_HAND })
    const alice = await start({ nick: 'alice', join: INVITE, roomKeys: memoryRoomKeys(), bootstrap: [relay.addr] })
    await waitFor(() => relay.session.topicPeerCount() === 1 && alice.session.topicPeerCount() === 1, 'alice and the relay meet')
    for (const text of ['one', 'two', 'three']) await alice.session.send(text)
    await waitFor(() => relay.session.room.driver.channel.history().filter(m => m.kind === 'content').length === 3, 'the relay holds three sealed lines')
    await alice.session.stop()

    const bob = await start({ nick: 'bob', join: INVITE, bootstrap: [relay.addr] })
    await waitFor(() => ['one', 'two', 'three'].every(t => bob.texts().includes(t)), 'bob reads what the relay served', 30_000)
    expect(bob.texts()).toEqual(['one', 'two', 'three'])
    expect(relay.lines).toEqual([])
  })

  it('/rekey moves the members to a new key; the old room has the new invite and its history stays readable', async () => {
    const alice = await start({ nick: 'alice', join: INVITE })
    const bobKeys = memoryRoomKeys()
    const bobStore = await openStore({ profile: 'bob' })
    const bob = await start({ nick: 'bob', join: INVITE, bootstrap: [alice.addr], roomKeys: bobKeys, store: bobStore })
    await waitFor(() => alice.session.topicPeerCount() === 1 && bob.session.topicPeerCount() === 1, 'alice and bob meet')
    await alice.session.send('before the new key')
    await waitFor(() => bob.texts().includes('before the new key'), 'bob has the old line')
    const next = await alice.session.rekey()
    expect(next).not.toBe(INVITE)
    expect(alice.session.room.names.topic).not.toBe(SECRETS.topic)
    await waitFor(() => bob.lines.some(l => l.action && l.text.includes(next)), 'bob is told the new invite in the old room')
    await bob.session.join(next)
    await waitFor(() => alice.session.topicPeerCount() === 1 && bob.session.topicPeerCount() === 1, 'they meet in the new room')
    await alice.session.send('after the new key')
    await waitFor(() => bob.texts().includes('after the new key'), 'bob reads the new room')
    // Both keys are held; the old room's history is stored sealed and reads with the old key.
    expect(bobKeys.list().map(k => k.name)).toEqual(['team', 'team'])
    await bob.session.leave()
    expect(bob.session.room.names.topic).toBe(SECRETS.topic)
    await waitFor(() => bob.session.history(10).some(l => l.text === 'before the new key'), 'the old line in the old room')
    const stored = await bobStore.loadRoom(SECRETS.topic, { messages: 100 })
    const sealed = stored.entries.map(e => Buffer.from(e.message.content).toString('latin1'))
    expect(sealed.length).toBeGreaterThan(0)
    expect(sealed.some(c => c.includes('before the new key'))).toBe(false)
  })
})
