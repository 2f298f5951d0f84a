import { describe, expect, it } from 'vitest'
import { clockTime, formatChatLine, formatPeerEvent, formatPrompt, formatSystemLine, shortId } from '../../../src/ui/format.js'
import { sanitize } from '../../../src/ui/sanitize.js'
import { createStyler } from '../../../src/ui/style.js'
import { createTextRenderer } from '../../../src/ui/render-text.js'
import { ALICE, BOB, at, chatLine } from './fake-session.js'

const plain = createStyler(false)
const color = createStyler(true)
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x08\x0b-\x1f\x7f-\x9f]/

describe('clockTime', () => {
  it('is HH:MM local, 24 h, zero padded', () => {
    expect(clockTime(at(9, 5))).toBe('09:05')
    expect(clockTime(at(23, 59))).toBe('23:59')
    expect(clockTime(at(0, 0))).toBe('00:00')
  })
})

describe('shortId', () => {
  it('keeps the first and last 4 characters', () => {
    expect(shortId('12D3KooWxxxxxxxxxxxxxxx7Yq')).toBe('12D3…x7Yq')
    expect(shortId(BOB)).toBe('12D3…5678')
  })
  it('keeps short ids whole', () => { expect(shortId('abc')).toBe('abc') })
})

describe('formatChatLine', () => {
  it('renders `HH:MM <nick> text` from receivedAt', () => {
    expect(formatChatLine(chatLine({ receivedAt: at(12, 4), text: 'hi' }), plain)).toEqual(['12:04 <bob> hi'])
  })

  it('marks a trusted sender with ★ before the sender, outside the (forgeable) nick', () => {
    expect(formatChatLine(chatLine({ receivedAt: at(12, 4), trusted: true }), plain)).toEqual(['12:04 ★ <bob> hi'])
    expect(formatChatLine(chatLine({ receivedAt: at(12, 4), trusted: true, action: true, text: 'waves' }), plain)).toEqual(['12:04 ★ * bob waves'])
    expect(formatChatLine(chatLine({ receivedAt: at(12, 4), trusted: true, history: true }), plain)).toEqual(['12:04 ~ ★ <bob> hi'])
    expect(formatChatLine(chatLine({ receivedAt: at(12, 4), trusted: false }), plain)).toEqual(['12:04 <bob> hi'])
    // A nick cannot fake it: the mark never sits inside the brackets.
    expect(formatChatLine(chatLine({ receivedAt: at(12, 4), nick: '★' }), plain)).toEqual(['12:04 <★> hi'])
    const own = formatChatLine(chatLine({ from: ALICE, nick: 'alice', own: true, state: 'confirmed', receivedAt: at(12, 4), trusted: true }), plain)
    expect(own).toEqual(['12:04 ★ <alice> hi ✓'])
  })

  it('renders /me as `HH:MM * nick text`', () => {
    expect(formatChatLine(chatLine({ receivedAt: at(12, 4), text: 'waves', action: true }), plain)).toEqual(['12:04 * bob waves'])
  })

  it('marks own lines by delivery state', () => {
    const own = (state: 'pending' | 'sent' | 'confirmed' | 'not-confirmed'): string =>
      formatChatLine(chatLine({ from: ALICE, nick: 'alice', own: true, state, receivedAt: at(8, 0) }), plain)[0]
    expect(own('pending')).toBe('08:00 <alice> hi …')
    expect(own('sent')).toBe('08:00 <alice> hi ·')
    expect(own('confirmed')).toBe('08:00 <alice> hi ✓')
    expect(own('not-confirmed')).toBe('08:00 <alice> hi ✗')
  })

  it('styles the marks: dim while passing and when confirmed, red when not confirmed', () => {
    const own = (state: 'pending' | 'sent' | 'confirmed' | 'not-confirmed'): string =>
      formatChatLine(chatLine({ from: ALICE, nick: 'alice', own: true, state }), color)[0]
    expect(own('sent')).toContain('\x1b[2m·\x1b[22m')
    expect(own('pending')).toContain('\x1b[2m…\x1b[22m')
    expect(own('confirmed')).toContain('\x1b[2m✓\x1b[22m')
    expect(own('not-confirmed')).toContain('\x1b[31m✗\x1b[39m')
  })

  it('shows own nicks bold, others not', () => {
    const own = formatChatLine(chatLine({ from: ALICE, nick: 'alice', own: true, state: 'sent' }), color)[0]
    const other = formatChatLine(chatLine(), color)[0]
    expect(own).toContain('\x1b[1m')
    expect(other).not.toContain('\x1b[1m')
  })

  it('shows when a line was sent, and when it arrived if out of order or over a minute late', () => {
    expect(formatChatLine(chatLine({ receivedAt: at(12, 10), sentAt: at(11, 58), outOfOrder: true }), plain)).toEqual(['11:58 <bob> hi (arrived 12:10)'])
    expect(formatChatLine(chatLine({ receivedAt: at(12, 10), sentAt: at(12, 8) }), plain)).toEqual(['12:08 <bob> hi (arrived 12:10)'])
    expect(formatChatLine(chatLine({ receivedAt: at(12, 10), sentAt: at(12, 9) + 30_000 }), plain)).toEqual(['12:09 <bob> hi'])
  })

  it('tags a nick another peer uses too with the sender\'s tag', () => {
    expect(formatChatLine(chatLine({ receivedAt: at(12, 4), nickTag: 'Y3H8' }), plain)).toEqual(['12:04 <bob#Y3H8> hi'])
  })

  it('shows the date of a line sent on another day than today', () => {
    const yesterday = at(23, 50) - 24 * 3_600_000
    expect(formatChatLine(chatLine({ sentAt: yesterday, receivedAt: yesterday }), plain, false, false, at(12, 0))).toEqual(['2024-01-01 23:50 <bob> hi'])
    expect(formatChatLine(chatLine({ sentAt: at(11, 0), receivedAt: at(11, 0) }), plain, false, false, at(12, 0))).toEqual(['11:00 <bob> hi'])
  })

  it('puts a gap line before a line that follows lost messages', () => {
    expect(formatChatLine(chatLine({ receivedAt: at(12, 4), gapBefore: ['a', 'b'] }), plain)).toEqual([
      '12:04 -!- 2 earlier messages could not be recovered',
      '12:04 <bob> hi'
    ])
    expect(formatChatLine(chatLine({ receivedAt: at(12, 4), gapBefore: ['a'] }), plain)[0])
      .toBe('12:04 -!- 1 earlier message could not be recovered')
    expect(formatChatLine(chatLine({ gapBefore: [] }), plain)).toHaveLength(1)
  })

  it('dims the gap line', () => {
    const [gap] = formatChatLine(chatLine({ gapBefore: ['a'] }), color)
    expect(gap.startsWith('\x1b[2m')).toBe(true)
  })

  it('marks and dims history lines', () => {
    expect(formatChatLine(chatLine({ receivedAt: at(7, 30), history: true }), plain)).toEqual(['07:30 ~ <bob> hi'])
    const styled = formatChatLine(chatLine({ history: true }), color)[0]
    expect(styled.startsWith('\x1b[2m')).toBe(true)
  })

  it('falls back to the short id when the nick is empty', () => {
    expect(formatChatLine(chatLine({ nick: '', receivedAt: at(1, 2) }), plain)).toEqual(['01:02 <12D3…5678> hi'])
  })
})

describe('neutralising network text', () => {
  const attacks = [
    '\x1b[2J\x1b[H wiped your screen',
    'title \x1b]0;pwned\x07 set',
    'colour \x1b[31mred\x1b[0m',
    'cursor \x1b[10A up',
    'reset \x1bc terminal',
    'c1 \x9b31m csi',
    'bell \x07 and backspace \x08\x08',
    'carriage\rreturn overwrite',
    'new\nline injection 12:00 <alice> fake',
    'bidi \u202egnp.exe',
    'dcs \x1bPq#0;2;0;0;0\x1b\\ sixel'
  ]

  it.each(attacks)('%j renders as one line with no control characters', text => {
    const line = chatLine({ text, nick: 'ni\x1b[31mck\n' })
    const lines = formatChatLine(line, plain)
    expect(lines).toHaveLength(1)
    expect(lines[0]).not.toMatch(CONTROL)
    expect(lines[0]).not.toContain('\n')
    expect(lines[0]).not.toContain('\r')
    expect(lines[0]).not.toContain('\u202e')
    // With colour on, the only escape codes are our own SGR codes around the same text.
    const coloured = formatChatLine(line, color)
    expect(coloured.map(l => l.replace(/\x1b\[(?:1|2|22|3[0-9]|9[0-7]|38;5;\d+)m/g, ''))).toEqual(lines)
  })

  it('strips escape sequences and shows other controls as visible pictures', () => {
    expect(sanitize('a\x1b[31mb\x1b[0mc')).toBe('abc')
    expect(sanitize('x\x1b]0;title\x07y')).toBe('xy')
    expect(sanitize('line1\nline2')).toBe('line1␊line2')
    expect(sanitize('a\tb')).toBe('a b')
    expect(sanitize('a\rb')).toBe('a␍b')
    expect(sanitize('del\x7f')).toBe('del␡')
    expect(sanitize('ok ✓ 日本語 émoji 🎉')).toBe('ok ✓ 日本語 émoji 🎉')
  })

  it('neutralises nicks and peer ids in system lines too', () => {
    const line = formatPeerEvent({ peerId: '12D3\x1b[2Jxxxxxxxxabcd', nick: 'ev\x1b[1Ail' }, 'joined', at(1, 0), plain)
    expect(line).not.toMatch(CONTROL)
    expect(line).toBe('01:00 -!- evil (12D3…abcd) joined')
    expect(formatSystemLine('bad\x1b[31m text\x07', at(1, 0), plain)).toBe('01:00 -!- bad text␇')
  })
})

describe('system lines', () => {
  it('are `HH:MM -!- text` and dim', () => {
    expect(formatSystemLine('hello', at(10, 1), plain)).toBe('10:01 -!- hello')
    expect(formatSystemLine('hello', at(10, 1), color)).toBe('\x1b[2m10:01 -!- hello\x1b[22m')
  })
  it('are red for errors', () => {
    expect(formatSystemLine('boom', at(10, 1), color, 'error')).toBe('\x1b[31m10:01 -!- boom\x1b[39m')
  })
  it('announce joins and leaves with nick and short id', () => {
    expect(formatPeerEvent({ peerId: BOB, nick: 'bob' }, 'joined', at(12, 4), plain)).toBe('12:04 -!- bob (12D3…5678) joined')
    expect(formatPeerEvent({ peerId: BOB }, 'left', at(12, 4), plain)).toBe('12:04 -!- 12D3…5678 left')
  })
})

describe('formatPrompt', () => {
  it('carries topic, topic peer count and nick', () => {
    expect(formatPrompt('x', 4, 'alice')).toBe('[x · 4 peers] alice> ')
    expect(formatPrompt('x', 1, 'alice')).toBe('[x · 1 peer] alice> ')
    expect(formatPrompt('x', undefined, 'alice')).toBe('[x · ? peers] alice> ')
  })
})

describe('text renderer', () => {
  const now = (): number => at(15, 30)

  it('prints a red line quoting the text when an own line is not confirmed, nothing for other states', () => {
    const r = createTextRenderer(plain, now)
    r.message(chatLine({ id: 'm1', own: true, state: 'pending', text: 'are you there?' }))
    expect(r.messageState({ id: 'm1', state: 'sent' })).toEqual([])
    expect(r.messageState({ id: 'm1', state: 'not-confirmed' })).toEqual(['15:30 -!- ✗ not confirmed by any peer: "are you there?"'])
    expect(r.messageState({ id: 'm2', state: 'confirmed' })).toEqual([])
  })

  it('says so when a line shown ✗ is acknowledged after all, once', () => {
    const r = createTextRenderer(plain, now)
    r.message(chatLine({ id: 'm1', own: true, state: 'sent', text: 'late?' }))
    r.messageState({ id: 'm1', state: 'not-confirmed' })
    expect(r.messageState({ id: 'm1', state: 'confirmed' })).toEqual(['15:30 -!- ✓ confirmed after all: "late?"'])
    expect(r.messageState({ id: 'm1', state: 'confirmed' })).toEqual([])
  })

  it('drops passing marks of live own lines when asked (line mode), keeping final ones and history', () => {
    const r = createTextRenderer(plain, now, { passingMarks: false })
    const own = { from: ALICE, nick: 'alice', own: true, receivedAt: at(8, 0) }
    expect(r.message(chatLine({ ...own, state: 'pending' }))).toEqual(['08:00 <alice> hi'])
    expect(r.message(chatLine({ ...own, state: 'sent' }))).toEqual(['08:00 <alice> hi'])
    expect(r.message(chatLine({ ...own, state: 'confirmed' }))).toEqual(['08:00 <alice> hi ✓'])
    expect(r.message(chatLine({ ...own, state: 'pending', history: true }))).toEqual(['08:00 ~ <alice> hi …'])
    expect(r.history([chatLine({ ...own, state: 'sent' })], 20)[1]).toBe('08:00 ~ <alice> hi ·')
    expect(createTextRenderer(plain, now).message(chatLine({ ...own, state: 'pending' }))).toEqual(['08:00 <alice> hi …'])
  })

  it('renders the chat row alone of an own line in a new state, without a gap line', () => {
    const r = createTextRenderer(plain, now)
    const line = chatLine({ from: ALICE, nick: 'alice', own: true, state: 'confirmed', receivedAt: at(8, 0), gapBefore: ['x'] })
    expect(r.ownLine?.(line)).toBe('08:00 <alice> hi ✓')
    // No side effect: a later "not confirmed" still quotes nothing it was not shown.
    expect(r.messageState({ id: line.id, state: 'not-confirmed' })).toEqual(['15:30 -!- ✗ a message of yours was not confirmed by any peer'])
  })

  it('frames /history output and marks its lines', () => {
    const r = createTextRenderer(plain, now)
    const lines = [chatLine({ receivedAt: at(9, 0), text: 'one' }), chatLine({ receivedAt: at(9, 1), text: 'two' })]
    expect(r.history(lines, 20)).toEqual([
      '15:30 -!- history: all 2 messages',
      '09:00 ~ <bob> one',
      '09:01 ~ <bob> two',
      '15:30 -!- end of history'
    ])
    expect(r.history([], 20)).toEqual(['15:30 -!- no messages yet'])
  })
})

describe('topic joins and leaves beside the roster', () => {
  const plain = createStyler(false)
  const now = (): number => at(8, 0)

  it('says a peer left when the roster never held it, even in a big room, and only once', () => {
    const r = createTextRenderer(plain, now)
    // Its records never reached us: the roster (3 others) has no line to come for it.
    expect(r.peerLeave({ peerId: BOB, nick: 'bob' }, 4, false)).toHaveLength(1)
    expect(r.peerLeave({ peerId: BOB, nick: 'bob' }, 4, false)).toEqual([])
  })

  it('stays quiet in a big room while the roster holds the peer (its roster line says it)', () => {
    const r = createTextRenderer(plain, now)
    expect(r.peerLeave({ peerId: BOB, nick: 'bob' }, 4, true)).toEqual([])
    expect(r.peerLeave({ peerId: BOB, nick: 'bob' }, 1, true)).toHaveLength(1)
  })
})
