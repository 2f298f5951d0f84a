import { describe, expect, it } from 'vitest'
import { createJsonRenderer, toJsonLine } from '../../../src/ui/json.js'
import { ALICE, BOB, at, chatLine, rosterEntry } from './fake-session.js'

const r = createJsonRenderer()

function only (lines: string[]): Record<string, unknown> {
  expect(lines).toHaveLength(1)
  expect(lines[0]).not.toContain('\n')
  return JSON.parse(lines[0]) as Record<string, unknown>
}

describe('NDJSON renderer', () => {
  it('message: the documented fields', () => {
    const line = chatLine({ id: 'ab12', receivedAt: at(12, 4), lamport: 777 })
    expect(only(r.message(line))).toEqual({
      type: 'message', id: 'ab12', from: BOB, nick: 'bob', text: 'hi', action: false, lamport: 777,
      sentAt: 777, receivedAt: at(12, 4), ts: 777, time: new Date(777).toISOString(), own: false
    })
  })

  it('message: optional fields when set', () => {
    const obj = only(r.message(chatLine({ own: true, state: 'pending', outOfOrder: true, gapBefore: ['x1', 'x2'], history: true, action: true })))
    expect(obj).toMatchObject({ own: true, state: 'pending', outOfOrder: true, gapBefore: ['x1', 'x2'], history: true, action: true })
  })

  it('message: trusted only when set', () => {
    expect(only(r.message(chatLine({ trusted: true })))).toMatchObject({ type: 'message', trusted: true })
    expect(only(r.message(chatLine({ trusted: false })))).not.toHaveProperty('trusted')
    expect(only(r.message(chatLine()))).not.toHaveProperty('trusted')
    const hist = only(r.history([chatLine({ trusted: true })], 20)) as { messages: Array<{ trusted?: boolean }> }
    expect(hist.messages[0].trusted).toBe(true)
  })

  it('room and roster events', () => {
    expect(only(r.roomChange({ name: 'general', previous: 'x' }))).toEqual({ type: 'room', name: 'general', previous: 'x' })
    const bob = rosterEntry({ status: 'lunch', away: true })
    const fields = { peerId: BOB, nick: 'bob', status: 'lunch', away: true, client: 'p2pchat/0.1.0', joinedAt: at(11, 0), lastSeen: at(12, 0), direct: true, self: false }
    expect(only(r.rosterChange({ joined: [bob], left: [], changed: [bob] }))).toEqual({ type: 'roster', joined: [fields], left: [], changed: [fields] })
  })

  it('peer-join and peer-leave stay, whatever the roster size', () => {
    expect(only(r.peerJoin({ peerId: BOB }, 5))).toEqual({ type: 'peer-join', peerId: BOB })
    expect(only(r.peerLeave({ peerId: BOB }, 5))).toEqual({ type: 'peer-leave', peerId: BOB })
  })

  it('rooms, who, census, status-text, away results', () => {
    const room = { name: 'general', desc: 'all', rendezvous: 'p2pchat/general', trustedPeers: [ALICE], joined: true }
    expect(only(r.rooms([room]))).toEqual({ type: 'rooms', rooms: [room] })
    const many = Array.from({ length: 60 }, (_, i) => rosterEntry({ peerId: `p${i}` }))
    const who = only(r.who(many)) as { type: string, roster: Array<{ peerId: string }> }
    expect(who.type).toBe('who')
    expect(who.roster).toHaveLength(60)
    expect(who.roster[0]).toEqual({ peerId: 'p0', nick: 'bob', status: '', away: false, client: 'p2pchat/0.1.0', joinedAt: at(11, 0), lastSeen: at(12, 0), direct: true, self: false })
    const census = { estimate: 41.6, low: 29.2, high: 55.4, replies: 11, p: 0.25, rosterCount: 38, durationMs: 3000 }
    expect(only(r.censusStarted())).toEqual({ type: 'notice', level: 'info', text: 'census running…' })
    expect(only(r.census(census))).toEqual({ type: 'census', ...census })
    expect(only(r.statusText('lunch'))).toEqual({ type: 'status-text', text: 'lunch' })
    expect(only(r.statusText(''))).toEqual({ type: 'status-text', text: '' })
    expect(only(r.away(true))).toEqual({ type: 'away', away: true })
    expect(only(r.alreadyInRoom('x'))).toEqual({ type: 'notice', level: 'info', text: 'already in room x' })
  })

  it('keeps the exact text but escapes what a terminal would act on', () => {
    const text = 'a\x1b[2Jb\u009bc\u202ed\nline'
    const out = r.message(chatLine({ text }))[0]
    // eslint-disable-next-line no-control-regex
    expect(out).not.toMatch(/[\x00-\x1f\x7f-\x9f\u202e]/)
    expect((JSON.parse(out) as { text: string }).text).toBe(text)
  })

  it('state, peer-join, peer-leave, notice', () => {
    expect(only(r.messageState({ id: 'ab', state: 'confirmed' }))).toEqual({ type: 'state', id: 'ab', state: 'confirmed' })
    expect(only(r.peerJoin({ peerId: BOB, nick: 'bob' }))).toEqual({ type: 'peer-join', peerId: BOB, nick: 'bob' })
    expect(only(r.peerJoin({ peerId: BOB }))).toEqual({ type: 'peer-join', peerId: BOB })
    expect(only(r.peerLeave({ peerId: BOB, nick: 'bob' }))).toEqual({ type: 'peer-leave', peerId: BOB, nick: 'bob' })
    expect(only(r.notice({ level: 'warn', text: 'dropped a forged message' }))).toEqual({ type: 'notice', level: 'warn', text: 'dropped a forged message' })
  })

  it('command results', () => {
    expect(only(r.connecting('/ip4/1.2.3.4/tcp/1'))).toEqual({ type: 'notice', level: 'info', text: 'connecting to /ip4/1.2.3.4/tcp/1' })
    expect(only(r.connected('/ip4/1.2.3.4/tcp/1', BOB))).toEqual({ type: 'connected', multiaddr: '/ip4/1.2.3.4/tcp/1', peerId: BOB })
    expect(only(r.nickChanged('al'))).toEqual({ type: 'nick', nick: 'al' })
    expect(only(r.peers([{ peerId: BOB, address: '/ip4/1.2.3.4/tcp/1', direction: 'inbound', link: 'relayed', inTopic: true, latencyMs: 3 }, { peerId: ALICE, nick: 'a', address: '/x', direction: 'outbound', link: 'direct', inTopic: false }])))
      .toEqual({
        type: 'peers',
        peers: [
          { peerId: BOB, address: '/ip4/1.2.3.4/tcp/1', direction: 'inbound', link: 'relayed', latencyMs: 3, inTopic: true },
          { peerId: ALICE, nick: 'a', address: '/x', direction: 'outbound', link: 'direct', inTopic: false }
        ]
      })
    expect(only(r.identity({ peerId: ALICE, addresses: ['/a'] }))).toEqual({ type: 'id', peerId: ALICE, addresses: ['/a'] })
    const status = { topic: 'x', peerId: ALICE, topicPeers: 1, connections: 2, lamport: 3, unacknowledged: 4, buffered: 5, missing: 6, lost: 7, pullsServed: 8, pullsMade: 9, dropped: { forged: 1 }, resends: { total: 1, tail: 0 }, syncs: { sent: 2, acks: 1, behindAnswers: 0 }, probes: { direct: 3, indirect: 1, suspects: 0, deaths: 0, localHealth: 0, suspected: 0, refutations: 0 }, noStream: 0, gossipStreams: { moved: 0, reopened: 0, keptPeers: 0 } }
    expect(only(r.status(status))).toEqual({ type: 'status', ...status })
    const hist = only(r.history([chatLine({ id: 'h1' }), chatLine({ id: 'h2' })], 20)) as { type: string, messages: Array<{ id: string, type?: string }> }
    expect(hist.type).toBe('history')
    expect(hist.messages.map(m => m.id)).toEqual(['h1', 'h2'])
    expect(hist.messages[0].type).toBeUndefined()
    expect(only(r.error('usage: /nick <name>', 'INVALID_COMMAND'))).toEqual({ type: 'error', text: 'usage: /nick <name>', code: 'INVALID_COMMAND' })
    expect(only(r.error('boom'))).toEqual({ type: 'error', text: 'boom' })
    const help = only(r.help()) as { type: string, commands: Array<{ name: string, aliases: string[], args: string, description: string }> }
    expect(help.type).toBe('help')
    expect(help.commands.find(c => c.name === 'quit')).toMatchObject({ aliases: ['exit'], args: '' })
  })

  it('toJsonLine escapes U+2028 and C1 controls but round-trips', () => {
    const value = { s: 'x\u2028y\u0085z' }
    const line = toJsonLine(value)
    expect(line).toBe('{"s":"x\\u2028y\\u0085z"}')
    expect(JSON.parse(line)).toEqual(value)
  })
})
