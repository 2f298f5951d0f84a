import { describe, expect, it } from 'vitest'
import { WHO_LIMIT, ago, roomsTable, whoTable } from '../../../src/ui/roster-tables.js'
import { RosterLines, censusText, roomChangeText, roundEstimate } from '../../../src/ui/roster-lines.js'
import { createStyler, peerColor } from '../../../src/ui/style.js'
import { displayWidth } from '../../../src/ui/text-width.js'
import { ALICE, BOB, at, rosterEntry } from './fake-session.js'
import type { RosterEntry } from '../../../src/session/types.js'

const NOW = at(12, 0)
const CAROL = '12D3KooWCarolCarolCarolCarolxyz9'
// eslint-disable-next-line no-control-regex
const CSI = /\x1b\[[0-9;]*m/g

const roster: RosterEntry[] = [
  rosterEntry({ peerId: ALICE, nick: 'alice', self: true, direct: false, status: 'at lunch', away: true }),
  rosterEntry({ peerId: BOB, nick: 'bob', lastSeen: NOW - 12_000 }),
  rosterEntry({ peerId: CAROL, nick: 'caroline_the_long', lastSeen: NOW - 3 * 60_000, direct: false, status: 'x'.repeat(60) })
]

/** Every header after the first starts at the same column on every row. */
function expectAligned (lines: string[], headers: string[]): void {
  const plain = lines.map(l => l.replace(CSI, ''))
  for (const header of headers) {
    const col = plain[0].indexOf(header)
    expect(col).toBeGreaterThan(0)
    for (const line of plain.slice(1)) {
      expect(line[col - 1]).toBe(' ')
      expect(line[col]).not.toBe(' ')
    }
  }
}

describe('ago', () => {
  it.each([[0, 'now'], [1999, 'now'], [-5000, 'now'], [12_000, '12s'], [59_999, '59s'], [180_000, '3m'], [2 * 3600_000 + 5, '2h'], [3 * 86_400_000, '3d']])('%d ms ago is %s', (ms, text) => {
    expect(ago(NOW - ms, NOW)).toBe(text)
  })
})

describe('whoTable', () => {
  it('lays out mark, nick, id, status, last seen and direct in aligned columns', () => {
    expect(whoTable(roster, NOW)).toEqual([
      '   NICK               PEER       STATUS                                    SEEN  DIRECT',
      '*  alice              12D3…1234  at lunch (away)                           now   —',
      '   bob                12D3…5678  —                                         12s   yes',
      `   caroline_the_long  12D3…xyz9  ${'x'.repeat(39)}…  3m    no`
    ])
  })

  it('stays aligned with coloured nicks, and colours each nick by its peer id (own bold)', () => {
    const lines = whoTable(roster, NOW, createStyler(true))
    expectAligned(lines, ['NICK', 'PEER', 'STATUS', 'SEEN', 'DIRECT'])
    expect(lines[1]).toContain('\x1b[1m') // own nick bold
    expect(lines[2]).not.toContain('\x1b[1m')
    expect(lines[2]).toContain(createStyler(true).apply(peerColor(BOB), 'bob'))
    expect(lines[3]).toContain(createStyler(true).apply(peerColor(CAROL), 'caroline_the_long'))
  })

  it('neutralises remote nicks and statuses', () => {
    const lines = whoTable([rosterEntry({ nick: 'b\x1b[2Job', status: 'hi\x1b]0;pwned\x07' })], NOW)
    // eslint-disable-next-line no-control-regex
    expect(lines.join('\n')).not.toMatch(/\x1b/)
  })

  it(`shows a count line and the ${WHO_LIMIT} most recently active when there are more`, () => {
    const many = Array.from({ length: 137 }, (_, i) => rosterEntry({ peerId: `12D3KooWpeer${String(i).padStart(4, '0')}`, nick: `p${i}`, lastSeen: NOW - i * 1000 }))
    const shuffled = [...many.slice(70), ...many.slice(0, 70)]
    const lines = whoTable(shuffled, NOW)
    expect(lines[0]).toBe('137 in the roster; showing the 50 most recently active')
    expect(lines).toHaveLength(2 + WHO_LIMIT)
    const nicks = lines.slice(2).map(l => l.trim().split(/\s+/)[0])
    expect(nicks).toEqual(many.slice(0, WHO_LIMIT).map(e => e.nick))
    expectAligned(lines.slice(1), ['PEER', 'STATUS', 'SEEN', 'DIRECT'])
  })

  it('has no count line at the limit', () => {
    const exactly = Array.from({ length: WHO_LIMIT }, (_, i) => rosterEntry({ peerId: `peer${i}`, nick: `p${i}` }))
    expect(whoTable(exactly, NOW)).toHaveLength(WHO_LIMIT + 1)
  })
})

describe('roomsTable', () => {
  it('marks the joined room and aligns name, description, trusted count and rendezvous', () => {
    const lines = roomsTable([
      { name: 'general', desc: 'Everyone, all topics', rendezvous: 'p2pchat/general', trustedPeers: [ALICE, BOB], joined: false },
      { name: 'x', desc: '', rendezvous: '', trustedPeers: [], joined: true }
    ])
    expect(lines).toEqual([
      '   ROOM     DESCRIPTION           TRUSTED  RENDEZVOUS',
      '   general  Everyone, all topics  2        p2pchat/general',
      '*  x        —                     0        —'
    ])
    expect(roomsTable([{ name: '中文', desc: 'd', rendezvous: 'r', trustedPeers: [], joined: true }, { name: 'abcde', desc: 'd', rendezvous: 'r', trustedPeers: [], joined: false }])).toEqual([
      '   ROOM   DESCRIPTION  TRUSTED  RENDEZVOUS',
      '*  中文   d            0        r', // two wide characters take four columns
      '   abcde  d            0        r'
    ])
  })
})

describe('roster change lines', () => {
  const peer = (i: number, over: Partial<RosterEntry> = {}): RosterEntry => rosterEntry({ peerId: `12D3KooWpeer${i}xxxxabc${i}`, nick: ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'grace'][i], ...over })

  it('one line per join or leave, with nick and short id, up to 3', () => {
    const lines = new RosterLines()
    expect(lines.texts({ joined: [peer(0), peer(1)], left: [peer(2, { nick: '' })], changed: [] })).toEqual([
      'alice (12D3…abc0) joined',
      'bob (12D3…abc1) joined',
      '12D3…abc2 left'
    ])
  })

  it('collapses more than 3 joins (or leaves) into one line', () => {
    const lines = new RosterLines()
    const seven = [0, 1, 2, 3, 4, 5, 6].map(i => peer(i))
    expect(lines.texts({ joined: seven, left: [], changed: [] })).toEqual(['7 joined: alice, bob, carol and 4 more'])
    expect(lines.texts({ joined: [], left: seven.slice(0, 4), changed: [] })).toEqual(['4 left: alice, bob, carol and 1 more'])
  })

  it('never reports our own entry', () => {
    const lines = new RosterLines()
    expect(lines.texts({ joined: [peer(0, { self: true })], left: [], changed: [peer(0, { self: true, away: true })] })).toEqual([])
  })

  it('reports a nick change once, as "old is now new"', () => {
    const lines = new RosterLines()
    lines.texts({ joined: [peer(0)], left: [], changed: [] })
    expect(lines.texts({ joined: [], left: [], changed: [peer(0, { nick: 'alicia' })] })).toEqual(['alice is now alicia'])
    expect(lines.texts({ joined: [], left: [], changed: [peer(0, { nick: 'alicia' })] })).toEqual([])
    lines.reset() // another room: a first sight again
    expect(lines.texts({ joined: [], left: [], changed: [peer(0, { nick: 'ally' })] })).toEqual([])
  })

  it('reports a change only when away or a status is set, and only once per value', () => {
    const lines = new RosterLines()
    lines.texts({ joined: [peer(0)], left: [], changed: [] })
    expect(lines.texts({ joined: [], left: [], changed: [peer(0, { away: true })] })).toEqual(['alice is away'])
    expect(lines.texts({ joined: [], left: [], changed: [peer(0, { away: true })] })).toEqual([])
    expect(lines.texts({ joined: [], left: [], changed: [peer(0, { status: 'at lunch' })] })).toEqual(['alice: "at lunch"'])
    expect(lines.texts({ joined: [], left: [], changed: [peer(0, { status: 'at lunch', away: true })] })).toEqual(['alice is away: "at lunch"'])
    expect(lines.texts({ joined: [], left: [], changed: [peer(0)] })).toEqual([]) // back, no status: quiet
  })
})

describe('room change and census texts', () => {
  it('room change', () => {
    expect(roomChangeText({ name: 'general', previous: 'x' })).toBe('now in room general (left x)')
    expect(roomChangeText({ name: 'general', previous: '' })).toBe('now in room general')
  })

  it('rounds the census sensibly', () => {
    expect(censusText({ estimate: 41.6, low: 29.2, high: 55.4, replies: 11, p: 0.25, rosterCount: 38, durationMs: 3000 }))
      .toBe('room size ≈ 42 (95% CI 29–55) from 11 replies at p=0.25; roster has 38')
    expect(censusText({ estimate: 1234.5, low: 987.6, high: 1502, replies: 1, p: 0.00081, rosterCount: 200, durationMs: 3000 }))
      .toBe('room size ≈ 1200 (95% CI 990–1500) from 1 reply at p=0.00081; roster has 200')
    expect(roundEstimate(-3)).toBe(0)
    expect(roundEstimate(Number.NaN)).toBe(0)
    expect(roundEstimate(155)).toBe(160)
  })
})
