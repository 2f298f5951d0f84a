import { describe, expect, it } from 'vitest'
import { createTextRenderer } from '../../../src/ui/render-text.js'
import { createJsonRenderer } from '../../../src/ui/json.js'
import { formatChatLine } from '../../../src/ui/format.js'
import { hangingIndent } from '../../../src/ui/wrap.js'
import { createStyler } from '../../../src/ui/style.js'
import { ALICE, BOB, at, chatLine, committeeView } from './fake-session.js'
import type { GovernanceNotice } from '../../../src/session/types.js'

const plain = createStyler(false)
const now = (): number => at(15, 30)
const CAROL = '12D3KooWCaroCaroCaroCaroCaroCaroCaroCaroCaroCaroCar1111'
const ID = '3f9a1c2e'.padEnd(32, '0')

function only (lines: string[]): Record<string, unknown> {
  expect(lines).toHaveLength(1)
  return JSON.parse(lines[0]) as Record<string, unknown>
}

describe('marks of final and late lines', () => {
  it('shows ≡ in place of ~ on a stored line whose order is final, and nothing on a live one', () => {
    expect(formatChatLine(chatLine({ receivedAt: at(9, 0), final: true }), plain, true)).toEqual(['09:00 ≡ <bob> hi'])
    expect(formatChatLine(chatLine({ receivedAt: at(9, 0), final: true, history: true }), plain)).toEqual(['09:00 ≡ <bob> hi'])
    expect(formatChatLine(chatLine({ receivedAt: at(9, 0), final: false }), plain, true)).toEqual(['09:00 ~ <bob> hi'])
    expect(formatChatLine(chatLine({ receivedAt: at(9, 0), final: true }), plain)).toEqual(['09:00 <bob> hi'])
  })

  it('ends a late line with a dim (late), joined with its arrival time when that shows too', () => {
    expect(formatChatLine(chatLine({ receivedAt: at(9, 0), late: true }), plain)).toEqual(['09:00 <bob> hi (late)'])
    expect(formatChatLine(chatLine({ sentAt: at(9, 0), receivedAt: at(9, 7), late: true }), plain)).toEqual(['09:00 <bob> hi (late, arrived 09:07)'])
    expect(formatChatLine(chatLine({ receivedAt: at(9, 0), late: true, final: true }), plain, true)).toEqual(['09:00 ≡ <bob> hi (late)'])
    expect(formatChatLine(chatLine({ receivedAt: at(9, 0), late: true }), createStyler(true))[0]).toContain('\x1b[2m(late)\x1b[22m')
  })

  it('/history frames final lines with their mark', () => {
    const r = createTextRenderer(plain, now)
    expect(r.history([chatLine({ receivedAt: at(9, 0), text: 'one', final: true }), chatLine({ receivedAt: at(9, 1), text: 'two' })], 20)).toEqual([
      '15:30 -!- history: all 2 messages',
      '09:00 ≡ <bob> one',
      '09:01 ~ <bob> two',
      '15:30 -!- end of history'
    ])
  })

  it('/lastlog shows each line\'s short id to give /pin', () => {
    const r = createTextRenderer(plain, now)
    expect(r.lastlog([chatLine({ id: ID, receivedAt: at(9, 0), text: 'deploy done' })], 'deploy', 1)).toEqual([
      '15:30 -!- lastlog: 1 message containing "deploy"',
      '#3f9a1c2e 09:00 ~ <bob> deploy done',
      '15:30 -!- end of lastlog'
    ])
  })

  it('wraps a line with an id or a final mark under its text', () => {
    expect(hangingIndent('#3f9a1c2e 09:00 ~ <bob> deploy done')).toBe(24)
    expect(hangingIndent('09:00 ≡ ★ <carol> hello')).toBe(18)
  })
})

describe('governance events in text', () => {
  const r = createTextRenderer(plain, now)
  const show = (notice: GovernanceNotice): string[] => r.governance(notice)

  it('bans and unbans, of others and of you', () => {
    expect(show({ type: 'banned', peer: BOB, nick: 'bob', reason: 'spam', by: ALICE, byNick: 'alice', self: false })).toEqual(['15:30 -!- bob (12D3…5678) was banned by alice: spam'])
    expect(show({ type: 'banned', peer: BOB, reason: '', by: ALICE, self: false })).toEqual(['15:30 -!- 12D3…5678 was banned by 12D3…1234'])
    expect(show({ type: 'banned', peer: BOB, reason: 'spam', by: ALICE, byNick: 'alice', self: true }))
      .toEqual(['15:30 -!- you were banned from this room by alice: spam — every peer now refuses your messages'])
    expect(show({ type: 'unbanned', peer: BOB, nick: 'bob', by: ALICE, byNick: 'alice', self: false })).toEqual(['15:30 -!- bob (12D3…5678) was unbanned by alice'])
    expect(show({ type: 'unbanned', peer: BOB, by: ALICE, byNick: 'alice', self: true })).toEqual(['15:30 -!- your ban from this room was lifted by alice: peers accept your messages again'])
  })

  it('shows your own ban in red', () => {
    const line = createTextRenderer(createStyler(true), now).governance({ type: 'banned', peer: BOB, reason: '', by: ALICE, self: true })[0]
    expect(line.startsWith('\x1b[31m')).toBe(true)
  })

  it('titles and pins', () => {
    expect(show({ type: 'title', text: 'Release planning', by: ALICE, byNick: 'alice' })).toEqual(['15:30 -!- title: Release planning (set by alice)'])
    expect(show({ type: 'title', text: '', by: ALICE, byNick: 'alice' })).toEqual(['15:30 -!- title cleared by alice'])
    expect(show({ type: 'pinned', messageId: ID, line: chatLine({ id: ID, text: 'deploy done' }), by: ALICE, byNick: 'alice' })).toEqual(['15:30 -!- alice pinned bob: deploy done'])
    expect(show({ type: 'unpinned', messageId: ID, by: ALICE, byNick: 'alice' })).toEqual(['15:30 -!- alice unpinned message #3f9a1c2e (not stored here)'])
  })

  it('says a decision caught up on is not news', () => {
    expect(show({ type: 'banned', peer: BOB, nick: 'bob', reason: 'spam', by: ALICE, byNick: 'alice', self: false, earlier: true })).toEqual(['15:30 -!- earlier: bob (12D3…5678) was banned by alice: spam'])
    expect(show({ type: 'final', lamport: at(15, 29), digest: 'ab', agree: true, earlier: true })).toEqual([])
  })

  it('neutralises remote text', () => {
    expect(show({ type: 'title', text: 'a\x1b[2Jb', by: ALICE, byNick: 'e\x1bvil' })[0]).not.toContain('\x1b')
  })

  it('a checkpoint makes a line only when our history differs from it', () => {
    expect(show({ type: 'final', lamport: at(15, 29) + 7000, digest: 'ab', agree: true })).toEqual([])
    expect(show({ type: 'final', lamport: at(15, 29), digest: 'ab' })).toEqual([])
    expect(show({ type: 'final', lamport: at(15, 29) + 7000, digest: 'ab', agree: false }))
      .toEqual(['15:30 -!- your history differs from the committee\'s final order up to 15:29:07; asking peers for what is missing'])
  })

  it('confirms a request the leader took', () => {
    expect(r.governed({ type: 'ban', peer: BOB, reason: 'spam' }, 'bob (12D3…5678)')).toEqual(['15:30 -!- the committee is deciding: ban bob (12D3…5678) (spam)'])
    expect(r.governed({ type: 'unban', peer: BOB }, 'bob (12D3…5678)')).toEqual(['15:30 -!- the committee is deciding: lift the ban on bob (12D3…5678)'])
    expect(r.governed({ type: 'title', text: 'x' }, '')).toEqual(['15:30 -!- the committee is deciding: title "x"'])
    expect(r.governed({ type: 'title', text: '' }, '')).toEqual(['15:30 -!- the committee is deciding: clear the title'])
    expect(r.governed({ type: 'pin', messageId: ID }, '#3f9a1c2e')).toEqual(['15:30 -!- the committee is deciding: pin #3f9a1c2e'])
  })
})

describe('/committee and /pins in text', () => {
  const r = createTextRenderer(plain, now)
  const nicks = new Map([[ALICE, 'alice'], [BOB, 'bob']])

  it('explains a room with no committee in one row', () => {
    expect(r.committee(committeeView({ mode: 'none' }), nicks, ALICE)).toEqual(['committee  none: this room has no committee: only registry rooms with trusted peers run one'])
  })

  it('lists what a member knows', () => {
    const view = committeeView({
      member: true,
      trustedPeers: [ALICE, BOB, CAROL],
      members: [ALICE, BOB, CAROL],
      leader: BOB,
      term: 4,
      commitIndex: 12,
      appliedIndex: 11,
      roomSize: 40,
      k: 3,
      title: 'Release planning',
      pins: [{ messageId: ID }],
      banned: [{ peer: CAROL, nick: 'eve', reason: 'spam', by: BOB, at: at(15, 0) }],
      finality: { lamport: at(15, 29) + 31_000, digest: 'ab' },
      refused: { forged: 2, uncertified: 0 }
    })
    expect(r.committee(view, nicks, ALICE)).toEqual([
      'committee      trusted: its decisions are authoritative',
      'you            a member (you vote on its decisions)',
      'members        alice (you), bob (leader), 12D3…1111',
      'term           4',
      'commit index   12',
      'applied index  11',
      'size           k = 3 members for a room of N = 40 (3 trusted peers)',
      'title          Release planning',
      'pins           1 (/pins lists them)',
      'bans           1: eve',
      'final up to    15:29:31',
      'refused        forged 2'
    ])
  })

  it('leaves out what only a member knows, and says when nothing is final yet', () => {
    const lines = r.committee(committeeView({ members: [BOB], leader: BOB }), nicks, ALICE)
    expect(lines).toContain('you            not a member (you follow its certified decisions)')
    expect(lines).toContain('members        bob (leader)')
    expect(lines).toContain('final up to    nothing yet')
    expect(lines.join('\n')).not.toMatch(/term|commit index|refused/)
  })

  it('/pins lists pinned lines with their ids', () => {
    expect(r.pins([])).toEqual(['15:30 -!- no pinned messages'])
    expect(r.pins([{ messageId: ID, line: chatLine({ id: ID, receivedAt: at(9, 0), text: 'deploy done', final: true }) }, { messageId: 'ab'.repeat(16) }])).toEqual([
      '15:30 -!- pins: 2 messages (/unpin <id> unpins one)',
      '#3f9a1c2e 09:00 ≡ <bob> deploy done',
      '#abababab (not stored here)'
    ])
  })
})

describe('governance in NDJSON', () => {
  const r = createJsonRenderer()

  it('message and history entries carry final and late only when set', () => {
    expect(only(r.message(chatLine({ final: true, late: true })))).toMatchObject({ type: 'message', final: true, late: true })
    const plainLine = only(r.message(chatLine({ final: false, late: false })))
    expect(plainLine).not.toHaveProperty('final')
    expect(plainLine).not.toHaveProperty('late')
    const hist = only(r.history([chatLine({ final: true })], 20)) as { messages: Array<{ final?: boolean }> }
    expect(hist.messages[0].final).toBe(true)
  })

  it('one governance line per notice, checkpoints included', () => {
    expect(only(r.governance({ type: 'banned', peer: BOB, nick: 'bob', reason: 'spam', by: ALICE, byNick: 'alice', self: false })))
      .toEqual({ type: 'governance', kind: 'banned', peer: BOB, nick: 'bob', reason: 'spam', by: ALICE, byNick: 'alice', self: false })
    expect(only(r.governance({ type: 'unbanned', peer: BOB, by: ALICE, self: true }))).toEqual({ type: 'governance', kind: 'unbanned', peer: BOB, by: ALICE, self: true })
    expect(only(r.governance({ type: 'title', text: 'T', by: ALICE }))).toEqual({ type: 'governance', kind: 'title', text: 'T', by: ALICE })
    const pinned = only(r.governance({ type: 'pinned', messageId: ID, line: chatLine({ id: ID }), by: ALICE })) as { line: { id: string, type?: string } }
    expect(pinned).toMatchObject({ type: 'governance', kind: 'pinned', messageId: ID, by: ALICE })
    expect(pinned.line.id).toBe(ID)
    expect(pinned.line.type).toBeUndefined()
    expect(only(r.governance({ type: 'unpinned', messageId: ID, by: ALICE }))).toEqual({ type: 'governance', kind: 'unpinned', messageId: ID, by: ALICE })
    expect(only(r.governance({ type: 'final', lamport: 5, digest: 'ab', agree: true }))).toEqual({ type: 'governance', kind: 'final', lamport: 5, digest: 'ab', agree: true })
    expect(only(r.governance({ type: 'final', lamport: 5, digest: 'ab' }))).toEqual({ type: 'governance', kind: 'final', lamport: 5, digest: 'ab' })
  })

  it('govern, committee and pins results', () => {
    expect(only(r.governed({ type: 'ban', peer: BOB, reason: 'spam' }, 'bob'))).toEqual({ type: 'govern', kind: 'ban', peer: BOB, reason: 'spam' })
    expect(only(r.governed({ type: 'title', text: '' }, ''))).toEqual({ type: 'govern', kind: 'title', text: '' })
    expect(only(r.governed({ type: 'unpin', messageId: ID }, ''))).toEqual({ type: 'govern', kind: 'unpin', messageId: ID })
    const view = committeeView({ members: [BOB], leader: BOB, pins: [{ messageId: ID }], banned: [{ peer: CAROL, reason: 'x', by: BOB, at: 9 }], finality: { lamport: 7, digest: 'cd' }, refused: { forged: 1 } })
    expect(only(r.committee(view, new Map(), ALICE))).toEqual({
      type: 'committee', mode: 'trusted', member: false, trustedPeers: [], members: [BOB], leader: BOB, appliedIndex: 0, roomSize: 1, k: 0, title: '',
      pins: [{ messageId: ID }], banned: [{ peer: CAROL, reason: 'x', by: BOB, at: 9 }], finality: { lamport: 7, digest: 'cd' }, refused: { forged: 1 }
    })
    const pins = only(r.pins([{ messageId: ID, line: chatLine({ id: ID }) }])) as { type: string, pins: Array<{ messageId: string, line: { text: string } }> }
    expect(pins.type).toBe('pins')
    expect(pins.pins[0].line.text).toBe('hi')
  })
})
