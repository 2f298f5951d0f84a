import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { P2pchatError } from '../../../src/errors.js'
import { runUi } from '../../../src/ui/run.js'
import { ALICE, BOB, Collector, FakeSession, at, rosterEntry, waitFor } from './fake-session.js'
import type { RosterEntry } from '../../../src/session/types.js'

const now = (): number => at(12, 0)

/** Runs line mode over `lines` and resolves the output lines once input ends. */
async function run (session: FakeSession, lines: string[], json = false): Promise<string[]> {
  const input = new PassThrough()
  const output = new Collector()
  const done = runUi(session, { input, output, json, now, interactive: false })
  input.end(lines.map(l => l + '\n').join(''))
  expect(await done).toEqual({ reason: 'eof' })
  expect(session.listenerCount).toBe(0)
  return output.lines()
}

describe('room and presence commands in line mode', () => {
  it('each command calls its session method', async () => {
    const session = new FakeSession()
    await run(session, ['/rooms', '/join general', '/leave', '/who', '/status out for lunch', '/status -', '/status clear', '/away', '/census', '/status'])
    expect(session.calls).toEqual([
      { method: 'rooms', args: [] },
      { method: 'join', args: ['general'] },
      { method: 'rooms', args: [] }, // the room:change line asks whether the room is private
      { method: 'leave', args: [] },
      { method: 'rooms', args: [] },
      { method: 'who', args: [] },
      { method: 'setStatusText', args: ['out for lunch'] },
      { method: 'setStatusText', args: [''] },
      { method: 'setStatusText', args: [''] },
      { method: 'setAway', args: [] },
      { method: 'census', args: [] },
      { method: 'status', args: [] }
    ])
  })

  it('/join prints exactly one line, from the room:change event', async () => {
    const session = new FakeSession()
    expect(await run(session, ['/join general'])).toEqual(['12:00 -!- now in room general (left x)'])
    expect(session.topic).toBe('general')
  })

  it('/join prints exactly one line when the event comes after the call resolves', async () => {
    const session = new FakeSession()
    session.roomEventTiming = 'after'
    const input = new PassThrough()
    const output = new Collector()
    const done = runUi(session, { input, output, now, interactive: false })
    input.write('/join general\n')
    await waitFor(() => output.text.includes('now in room'), 'room line')
    input.end()
    await done
    expect(output.lines()).toEqual(['12:00 -!- now in room general (left x)'])
  })

  it('/join of the room we are in says so once', async () => {
    const session = new FakeSession()
    expect(await run(session, ['/join x'])).toEqual(['12:00 -!- already in room x'])
  })

  it('/join errors and /leave without a previous room print one error line', async () => {
    const session = new FakeSession()
    session.joinImpl = async name => { throw new P2pchatError('INVALID_COMMAND', `invalid room name "${name}"\n    at stack`) }
    expect(await run(session, ['/join b@d', '/leave', '/join'])).toEqual([
      '12:00 -!- invalid room name "b@d"',
      '12:00 -!- no previous room to go back to',
      '12:00 -!- usage: /join <name|topic|invite>'
    ])
  })

  it('/join then /leave goes back, one line each', async () => {
    const session = new FakeSession()
    expect(await run(session, ['/join general', '/leave'])).toEqual([
      '12:00 -!- now in room general (left x)',
      '12:00 -!- now in room x (left general)'
    ])
  })

  it('/rooms lists the active room even without a registry', async () => {
    const session = new FakeSession()
    session.registryRooms = [{ name: 'general', desc: 'all of us', rendezvous: 'p2pchat/general', trustedPeers: [ALICE], joined: false }]
    expect(await run(session, ['/rooms'])).toEqual([
      '   ROOM     DESCRIPTION  TRUSTED  RENDEZVOUS',
      '*  x        —            0        —',
      '   general  all of us    1        p2pchat/general'
    ])
  })

  it('/who prints the roster table', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry({ peerId: ALICE, nick: 'alice', self: true }), rosterEntry({ lastSeen: at(11, 57), away: true })]
    expect(await run(session, ['/who'])).toEqual([
      '   NICK   PEER       STATUS  SEEN  DIRECT',
      '*  alice  12D3…1234  —       now   —',
      '   bob    12D3…5678  (away)  3m    yes'
    ])
  })

  it('/status <text>, /status -, /away', async () => {
    const session = new FakeSession()
    expect(await run(session, ['/status at  lunch', '/status -', '/away', '/away'])).toEqual([
      '12:00 -!- status set: at  lunch',
      '12:00 -!- status cleared',
      '12:00 -!- you are away',
      '12:00 -!- you are back'
    ])
    expect(session.statusText).toBe('')
  })

  it('/status with too long a text and a rejected status print one line each', async () => {
    const session = new FakeSession()
    session.setStatusText = () => { throw new P2pchatError('INVALID_COMMAND', 'status text too long') }
    expect(await run(session, [`/status ${'y'.repeat(101)}`, '/status ok'])).toEqual([
      '12:00 -!- usage: /status [text|-] (text at most 100 characters)',
      '12:00 -!- status text too long'
    ])
  })

  it('/census prints that it runs, then the estimate', async () => {
    const session = new FakeSession()
    expect(await run(session, ['/census'])).toEqual([
      '12:00 -!- census running…',
      '12:00 -!- room size ≈ 42 (95% CI 29–55) from 11 replies at p=0.25; roster has 38'
    ])
  })

  it('/census refused at once prints the reason alone', async () => {
    const session = new FakeSession()
    session.censusImpl = async () => { throw new P2pchatError('NOT_STARTED', 'not in a room yet') }
    expect(await run(session, ['/census'])).toEqual(['12:00 -!- not in a room yet'])
  })
})

describe('room and presence events in line mode', () => {
  const peer = (i: number): RosterEntry => rosterEntry({ peerId: `12D3KooWpeer${i}xxxxabc${i}`, nick: `p${i}` })

  it('prints roster changes, collapsing big ones, and a room change', async () => {
    const session = new FakeSession()
    const input = new PassThrough()
    const output = new Collector()
    const done = runUi(session, { input, output, now, interactive: false })
    session.emit('roster:change', { joined: [peer(1), peer(2)], left: [], changed: [] })
    session.emit('roster:change', { joined: [3, 4, 5, 6, 7, 8, 9].map(peer), left: [peer(1)], changed: [] })
    session.emit('roster:change', { joined: [], left: [], changed: [{ ...peer(2), away: true }, { ...peer(3), nick: 'renamed' }] })
    session.emit('room:change', { name: 'general', previous: 'x' })
    input.end()
    await done
    expect(output.lines()).toEqual([
      '12:00 -!- p1 (12D3…abc1) joined',
      '12:00 -!- p2 (12D3…abc2) joined',
      '12:00 -!- 7 joined: p3, p4, p5 and 4 more',
      '12:00 -!- p1 (12D3…abc1) left',
      '12:00 -!- p3 is now renamed',
      '12:00 -!- p2 is away',
      '12:00 -!- now in room general (left x)'
    ])
  })

  it('hides direct-connection join/leave lines while a roster exists', async () => {
    const session = new FakeSession()
    const input = new PassThrough()
    const output = new Collector()
    const done = runUi(session, { input, output, now, interactive: false })
    session.roster = [rosterEntry({ peerId: ALICE, self: true })]
    session.emit('peer:join', { peerId: BOB, nick: 'bob' })
    session.roster = [rosterEntry({ peerId: ALICE, self: true }), rosterEntry()]
    session.emit('peer:join', { peerId: BOB, nick: 'bob' })
    session.emit('peer:leave', { peerId: BOB, nick: 'bob' })
    session.who = () => { throw new Error('not started') }
    session.emit('peer:leave', { peerId: BOB })
    input.end()
    await done
    expect(output.lines()).toEqual(['12:00 -!- bob (12D3…5678) joined', '12:00 -!- 12D3…5678 left'])
  })

  it('says a peer joined or left once, when both the connection and the roster report it', async () => {
    const session = new FakeSession()
    const input = new PassThrough()
    const output = new Collector()
    const done = runUi(session, { input, output, now, interactive: false })
    session.roster = [rosterEntry({ peerId: ALICE, self: true })]
    session.emit('peer:join', { peerId: BOB, nick: 'bob' }) // before bob's presence: shown
    session.roster = [rosterEntry({ peerId: ALICE, self: true }), rosterEntry()]
    session.emit('roster:change', { joined: [rosterEntry()], left: [], changed: [] }) // already said
    session.roster = [rosterEntry({ peerId: ALICE, self: true })]
    session.emit('roster:change', { joined: [], left: [rosterEntry()], changed: [] })
    session.emit('peer:leave', { peerId: BOB, nick: 'bob' }) // already said
    session.emit('room:change', { name: 'general', previous: 'x' })
    session.emit('roster:change', { joined: [rosterEntry()], left: [], changed: [] }) // a new room: news again
    input.end()
    await done
    expect(output.lines()).toEqual([
      '12:00 -!- bob (12D3…5678) joined',
      '12:00 -!- bob (12D3…5678) left',
      '12:00 -!- now in room general (left x)',
      '12:00 -!- bob (12D3…5678) joined'
    ])
  })

  it('--json: room, roster and command results, one object per line', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry({ peerId: ALICE, self: true }), rosterEntry()]
    const input = new PassThrough()
    const output = new Collector()
    const done = runUi(session, { input, output, now, json: true, interactive: false })
    session.emit('peer:join', { peerId: BOB })
    session.emit('roster:change', { joined: [rosterEntry()], left: [], changed: [] })
    input.end('/join general\n/join general\n/rooms\n/who\n/status brb\n/away\n/census\n/leave\n/leave\n')
    await done
    const events = output.lines().map(l => JSON.parse(l) as Record<string, unknown>)
    expect(events.map(e => e.type)).toEqual(['peer-join', 'roster', 'room', 'notice', 'rooms', 'who', 'status-text', 'away', 'notice', 'census', 'room', 'error'])
    expect(events[2]).toEqual({ type: 'room', name: 'general', previous: 'x' })
    expect(events[3]).toEqual({ type: 'notice', level: 'info', text: 'already in room general' })
    expect(events[11]).toEqual({ type: 'error', text: 'no previous room to go back to', code: 'INVALID_COMMAND' })
  })
})
