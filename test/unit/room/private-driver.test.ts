/**
 * The room driver of a private room, pure: members seal content and presence with keys derived
 * from the room key and read each other; a peer on the topic without the key (a relay) checks,
 * stores and serves the sealed messages but reads nothing; a non-member's messages, a tampered
 * ciphertext, a sealed content moved to another message, and a replayed nonce are refused and
 * counted, and the first unreadable message is said once.
 */
import { describe, expect, it } from 'vitest'
import { RoomDriver } from '../../../src/room/driver.js'
import { RoomSealer } from '../../../src/room/room-sealer.js'
import { computeMessageId, type ReliableMessage } from '../../../src/reliability/index.js'
import { NONCE_BYTES, roomSecrets } from '../../../src/private/index.js'
import { createRandom } from '../../../src/shared/index.js'

const T0 = 1_767_225_600_000
const KEY = Uint8Array.from({ length: 32 }, (_, i) => i + 1)
const OTHER_KEY = Uint8Array.from({ length: 32 }, (_, i) => 200 - i)
const TOPIC = roomSecrets(KEY).topic
const ALICE = 'alice-peer'
const BOB = 'bob-peer'
const RELAY = 'relay-peer'
const EVE = 'eve-peer'
/** Presence with plain-text peer ids (the drivers here need no real keys). */
const PRESENCE = { peerIdToBytes: (peer: string) => new TextEncoder().encode(peer), peerIdFromBytes: (bytes: Uint8Array) => new TextDecoder().decode(bytes) }

/** Deterministic nonces per driver. */
function randomFor (seed: number): (n: number) => Uint8Array {
  const random = createRandom(seed)
  return n => Uint8Array.from({ length: n }, () => Math.floor(random() * 256))
}

function member (id: string, nick: string, seed: number): RoomDriver {
  return new RoomDriver(id, TOPIC, { nick, roomKey: KEY, random: randomFor(seed), probing: false, announcePresence: false, presence: PRESENCE })
}

function relay (): RoomDriver {
  return new RoomDriver(RELAY, TOPIC, { nick: 'relay', probing: false, announcePresence: false, presence: PRESENCE })
}

/** `from` sends `text` to a room where `to` is a peer; returns the message as it goes on the wire. */
function say (from: RoomDriver, to: string, text: string, now: number): ReliableMessage {
  from.membership([to], [to], now)
  from.ready()
  from.send(text, false, now)
  const [msg] = from.ready().publish.filter(m => m.kind === 'content')
  return msg
}

const lines = (d: RoomDriver): string[] => d.ready().events.flatMap(e => e.type === 'message' ? [(e.detail as { text: string }).text] : [])
const notices = (d: RoomDriver): string[] => d.ready().events.flatMap(e => e.type === 'notice' ? [(e.detail as { text: string }).text] : [])

describe('a private room in the driver', () => {
  it('members read each other; the wire carries sealed content only', () => {
    const a = member(ALICE, 'alice', 1)
    const b = member(BOB, 'bob', 2)
    const msg = say(a, BOB, 'the plan is on', T0)
    expect(Buffer.from(msg.content).toString('latin1')).not.toContain('the plan is on')
    expect(msg.content.byteLength).toBeGreaterThan(NONCE_BYTES + 16)
    expect(msg.messageId).toBe(computeMessageId(msg))
    b.membership([ALICE], [ALICE], T0)
    b.ready()
    expect(b.check(msg, T0 + 5)).toEqual({ action: 'accept' })
    b.receive(msg, T0 + 5)
    expect(lines(b)).toEqual(['the plan is on'])
  })

  it('a peer without the key checks, keeps and serves the sealed line, and reads nothing; a member reads what it serves', () => {
    const a = member(ALICE, 'alice', 1)
    const r = relay()
    const msg = say(a, RELAY, 'for members only', T0)
    r.membership([ALICE], [ALICE], T0)
    r.ready()
    expect(r.check(msg, T0 + 5)).toEqual({ action: 'accept' })
    r.receive(msg, T0 + 5)
    expect(lines(r)).toEqual([])
    const served = r.answerPull({ channelId: TOPIC, ids: [msg.messageId] } as never).messages
    expect(served.map(m => m.messageId)).toEqual([msg.messageId])
    const b = member(BOB, 'bob', 2)
    b.membership([RELAY], [RELAY], T0)
    b.ready()
    b.pullAnswered(-1, served, RELAY, T0 + 10)
    expect(lines(b)).toEqual(['for members only'])
  })

  it("a non-member's line on the topic is ignored, counted, and said once", () => {
    const b = member(BOB, 'bob', 2)
    const eve = new RoomDriver(EVE, TOPIC, { nick: 'eve', probing: false, announcePresence: false, presence: PRESENCE })
    b.membership([EVE], [EVE], T0)
    b.ready()
    const first = say(eve, BOB, 'let me in', T0)
    const second = say(eve, BOB, 'please', T0 + 1)
    expect(b.check(first, T0 + 5)).toEqual({ action: 'ignore', reason: 'not-member' })
    expect(b.check(second, T0 + 5)).toEqual({ action: 'ignore', reason: 'not-member' })
    b.receive(first, T0 + 5)
    const ready = b.ready()
    expect(ready.drops).toContain('not-member')
    expect(ready.events.filter(e => e.type === 'message')).toEqual([])
    expect(ready.events.filter(e => e.type === 'notice')).toHaveLength(1)
    b.receive(second, T0 + 6)
    expect(notices(b)).toEqual([])
  })

  it('a member of another key is a non-member', () => {
    const sealer = new RoomSealer(roomSecrets(OTHER_KEY), randomFor(9))
    const b = member(BOB, 'bob', 2)
    const a = member(ALICE, 'alice', 1)
    const msg = say(a, BOB, 'hello', T0)
    const content = sealer.seal(new TextEncoder().encode('x'), 'content', TOPIC, ALICE, msg.lamport)
    const forged = { ...msg, content }
    expect(b.check({ ...forged, messageId: computeMessageId(forged) }, T0 + 5)).toEqual({ action: 'ignore', reason: 'not-member' })
  })

  it('refuses a tampered ciphertext, a sealed content moved to another sender or place, and a replayed nonce', () => {
    const a = member(ALICE, 'alice', 1)
    const b = member(BOB, 'bob', 2)
    b.membership([ALICE], [ALICE], T0)
    b.ready()
    const msg = say(a, BOB, 'original', T0)
    const withId = (m: ReliableMessage): ReliableMessage => ({ ...m, messageId: computeMessageId(m) })

    const tampered = new Uint8Array(msg.content)
    tampered[tampered.length - 1] ^= 1
    expect(b.check({ ...msg, content: tampered }, T0 + 5)).toEqual({ action: 'reject', reason: 'bad-id' })
    expect(b.check(withId({ ...msg, content: tampered }), T0 + 5)).toEqual({ action: 'ignore', reason: 'not-member' })
    // The same sealed bytes under another sender, or at another Lamport value, do not open.
    expect(b.check(withId({ ...msg, senderId: EVE }), T0 + 5)).toEqual({ action: 'ignore', reason: 'not-member' })
    expect(b.check(withId({ ...msg, lamport: msg.lamport + 1 }), T0 + 5)).toEqual({ action: 'ignore', reason: 'not-member' })

    expect(b.check(msg, T0 + 5)).toEqual({ action: 'accept' })
    // Alice's client sealing a second line with the first one's nonce: refused.
    const nonce = msg.content.subarray(0, NONCE_BYTES)
    const replaying = new RoomDriver(ALICE, TOPIC, { nick: 'alice', roomKey: KEY, random: n => n === NONCE_BYTES ? new Uint8Array(nonce) : new Uint8Array(n), probing: false, announcePresence: false, presence: PRESENCE })
    const again = say(replaying, BOB, 'another line', T0 + 100)
    expect(b.check(again, T0 + 105)).toEqual({ action: 'ignore', reason: 'replayed-nonce' })
    // The original itself, seen again (a duplicate copy), is still fine.
    expect(b.check(msg, T0 + 106)).toEqual({ action: 'accept' })
  })

  it('seals presence: a member reads a member\'s nick, a relay does not', () => {
    const a = new RoomDriver(ALICE, TOPIC, { nick: 'alice', roomKey: KEY, random: randomFor(1), probing: false, presence: PRESENCE })
    const b = new RoomDriver(BOB, TOPIC, { nick: 'bob', roomKey: KEY, random: randomFor(2), probing: false, presence: PRESENCE })
    const r = new RoomDriver(RELAY, TOPIC, { nick: 'relay', probing: false, presence: PRESENCE })
    a.membership([BOB, RELAY], [BOB, RELAY], T0)
    a.start(T0)
    a.tick(T0 + 2000)
    const out = a.ready().publish.filter(m => m.kind === 'ephemeral')
    expect(out.length).toBeGreaterThan(0)
    b.start(T0)
    r.start(T0)
    b.membership([ALICE], [ALICE], T0)
    r.membership([ALICE], [ALICE], T0)
    for (const m of out) {
      expect(b.check(m, T0 + 5)).toEqual({ action: 'accept' })
      b.receive(m, T0 + 5)
      expect(r.check(m, T0 + 5)).toEqual({ action: 'accept' })
      r.receive(m, T0 + 5)
    }
    b.ready()
    r.ready()
    expect(b.nickOf(ALICE)).toBe('alice')
    expect(r.nickOf(ALICE)).toBeUndefined()
  })

  it('refuses a key that is not the topic\'s', () => {
    expect(() => new RoomDriver(ALICE, 'p2pchat/lobby', { roomKey: KEY, presence: PRESENCE })).toThrow(/not the key of this topic/)
  })
})
