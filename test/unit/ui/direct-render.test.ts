import { describe, expect, it } from 'vitest'
import { DIRECT_STATE_MARKS, formatDirectLine, isDirectLine } from '../../../src/ui/direct-lines.js'
import { formatQueryPrompt, isFinalState } from '../../../src/ui/format.js'
import { createJsonRenderer } from '../../../src/ui/json.js'
import { createTextRenderer } from '../../../src/ui/render-text.js'
import { createStyler } from '../../../src/ui/style.js'
import { ALICE, BOB, at, chatLine, directLine } from './fake-session.js'

const plain = createStyler(false)
const now = (): number => at(15, 30)

describe('direct messages: text', () => {
  it('received: *nick* text, an action * *nick* text', () => {
    expect(formatDirectLine(directLine({ sentAt: at(12, 4) }), plain)).toBe('12:04 *bob* psst')
    expect(formatDirectLine(directLine({ sentAt: at(12, 4), action: true, text: 'waves' }), plain)).toBe('12:04 * *bob* waves')
  })

  it('sent: -> *recipient* text with the state mark; the short id when the nick is unknown', () => {
    const own = directLine({ own: true, sentAt: at(12, 4), text: 'hi', state: 'pending' })
    expect(formatDirectLine(own, plain, 'bob')).toBe('12:04 -> *bob* hi …')
    expect(formatDirectLine({ ...own, state: 'delivered' }, plain, 'bob')).toBe('12:04 -> *bob* hi ✓')
    expect(formatDirectLine({ ...own, state: 'expired' }, plain, 'bob')).toBe('12:04 -> *bob* hi ✗')
    expect(formatDirectLine(own, plain)).toBe('12:04 -> *12D3…5678* hi …')
    expect(formatDirectLine({ ...own, action: true, text: 'waves', state: undefined }, plain, 'bob')).toBe('12:04 -> *bob* * alice waves')
  })

  it('says when a message that waited arrived, and dates a line of another day', () => {
    expect(formatDirectLine(directLine({ sentAt: at(9, 0), receivedAt: at(12, 4) }), plain, undefined, false, at(13, 0))).toBe('09:00 *bob* psst (arrived 12:04)')
    const yesterday = new Date(2024, 0, 1, 23, 50).getTime()
    expect(formatDirectLine(directLine({ sentAt: yesterday, receivedAt: yesterday }), plain, undefined, false, at(13, 0))).toBe('2024-01-01 23:50 *bob* psst')
  })

  it('sanitises what the peer sent', () => {
    expect(formatDirectLine(directLine({ nick: 'b\x1b[31mob', text: 'x\x1b]0;owned\x07y' }), plain)).toBe('09:05 *bob* xy')
  })

  it('colours the other party magenta, apart from the sender colours of room lines', () => {
    const line = formatDirectLine(directLine({ sentAt: at(12, 4) }), createStyler(true))
    expect(line).toContain('\x1b[35m')
    expect(line).toContain('*bob*')
  })

  it('marks: one column each, delivered final, expired not (a late acknowledgement may still come)', () => {
    expect(Object.values(DIRECT_STATE_MARKS)).toEqual(['…', '✓', '✗'])
    expect(isFinalState('delivered')).toBe(true)
    expect(isFinalState('expired')).toBe(false)
    expect(isFinalState('pending')).toBe(false)
    expect(isDirectLine(directLine())).toBe(true)
    expect(isDirectLine(chatLine())).toBe(false)
  })

  it('the prompt of an open query', () => {
    expect(formatQueryPrompt('bob', 'alice')).toBe('[dm bob] alice> ')
  })
})

describe('direct messages: text renderer', () => {
  it('live lines and the in-place row; line mode leaves out the passing … mark', () => {
    const own = directLine({ own: true, sentAt: at(12, 4), receivedAt: at(12, 4), text: 'hi', state: 'pending' })
    expect(createTextRenderer(plain, now).direct(own, 'bob')).toEqual(['12:04 -> *bob* hi …'])
    const lineMode = createTextRenderer(plain, now, { passingMarks: false })
    expect(lineMode.direct(own, 'bob')).toEqual(['12:04 -> *bob* hi'])
    expect(lineMode.direct({ ...own, state: 'delivered' }, 'bob')).toEqual(['12:04 -> *bob* hi ✓'])
    expect(lineMode.ownDirect?.({ ...own, state: 'delivered' }, 'bob')).toBe('12:04 -> *bob* hi ✓')
  })

  it('an expiry prints a red line quoting the text; a delivery after it says so once; nothing else prints', () => {
    const r = createTextRenderer(plain, now)
    r.direct(directLine({ id: 'd1', own: true, state: 'pending', text: 'are you there?' }), 'bob')
    expect(r.directState({ id: 'd1', peer: BOB, state: 'pending' }, 'bob')).toEqual([])
    expect(r.directState({ id: 'd1', peer: BOB, state: 'expired' }, 'bob')).toEqual(['15:30 -!- ✗ not delivered to bob (12D3…5678), gave up: "are you there?"'])
    expect(r.directState({ id: 'd1', peer: BOB, state: 'delivered' }, 'bob')).toEqual(['15:30 -!- ✓ delivered to bob (12D3…5678) after all: "are you there?"'])
    expect(r.directState({ id: 'd1', peer: BOB, state: 'delivered' }, 'bob')).toEqual([])
    r.direct(directLine({ id: 'd2', own: true, state: 'pending' }), 'bob')
    expect(r.directState({ id: 'd2', peer: BOB, state: 'delivered' }, 'bob')).toEqual([])
  })

  it('a day-change line before a direct message of another day', () => {
    const r = createTextRenderer(plain, () => at(23, 59))
    const next = new Date(2024, 0, 3, 0, 1).getTime()
    expect(r.direct(directLine({ sentAt: next, receivedAt: next }))).toEqual(['00:01 -!- Day changed to Wednesday 2024-01-03', '2024-01-03 00:01 *bob* psst'])
  })

  it('/query, /back, /dms and /ignore', () => {
    const r = createTextRenderer(plain, now)
    expect(r.query({ peer: BOB, nick: 'bob' }, 'x', [directLine({ sentAt: at(9, 0), receivedAt: at(9, 0) }), directLine({ own: true, sentAt: at(9, 1), receivedAt: at(9, 1), text: 'yes', state: 'delivered' })])).toEqual([
      '15:30 -!- talking to bob (12D3…5678): your lines go to them only, as direct messages; /back returns to room x',
      '09:00 ~ *bob* psst',
      '09:01 ~ -> *bob* yes ✓'
    ])
    expect(r.query(undefined, 'x')).toEqual(['15:30 -!- back in room x: your lines go to the room'])
    expect(r.conversations([])).toEqual(['15:30 -!- no direct messages yet: /msg <nick> <text> sends one'])
    expect(r.conversations([{ peer: BOB, nick: 'bob', last: at(12, 4), pending: 2 }, { peer: ALICE, last: new Date(2024, 0, 1, 8, 0).getTime(), pending: 0 }])).toEqual([
      '15:30 -!- direct conversations: 2 (/query <nick> opens one)',
      'bob (12D3…5678)  12:04             2 pending',
      '12D3…1234        2024-01-01 08:00'
    ])
    expect(r.ignored([])).toEqual(['15:30 -!- you ignore nobody (/ignore <nick|peer id> hides a peer)'])
    expect(r.ignored([{ peer: BOB, nick: 'bob' }, { peer: ALICE }])).toEqual(['15:30 -!- ignoring 2 peers: bob (12D3…5678), 12D3…1234 (/unignore <nick|peer id> shows one again)'])
    expect(r.ignoreChanged({ peer: BOB, nick: 'bob' }, true, true, [])).toEqual(['15:30 -!- ignoring bob (12D3…5678): their room lines and direct messages are hidden'])
    expect(r.ignoreChanged({ peer: BOB, nick: 'bob' }, true, false, [])).toEqual(['15:30 -!- already ignoring bob (12D3…5678)'])
    expect(r.ignoreChanged({ peer: BOB, nick: 'bob' }, false, true, [])).toEqual(['15:30 -!- no longer ignoring bob (12D3…5678)'])
    expect(r.ignoreChanged({ peer: BOB }, false, false, [])).toEqual(['15:30 -!- 12D3…5678 was not ignored'])
  })
})

describe('direct messages: NDJSON', () => {
  const r = createJsonRenderer()
  const only = (lines: string[]): Record<string, unknown> => {
    expect(lines).toHaveLength(1)
    return JSON.parse(lines[0]) as Record<string, unknown>
  }

  it('dm: the documented fields, state only on own messages', () => {
    expect(only(r.direct(directLine({ sentAt: 777, receivedAt: at(12, 4) })))).toEqual({
      type: 'dm', id: 'dd01', from: BOB, to: ALICE, peer: BOB, nick: 'bob', text: 'psst', action: false,
      sentAt: 777, receivedAt: at(12, 4), time: new Date(777).toISOString(), own: false
    })
    expect(only(r.direct(directLine({ own: true, state: 'pending' }), 'bob'))).toMatchObject({ type: 'dm', from: ALICE, to: BOB, peer: BOB, own: true, state: 'pending' })
  })

  it('dm-state, query, dms and ignored', () => {
    expect(only(r.directState({ id: 'd1', peer: BOB, state: 'delivered' }))).toEqual({ type: 'dm-state', id: 'd1', peer: BOB, state: 'delivered' })
    expect(only(r.query({ peer: BOB, nick: 'bob' }, 'x', [directLine({ sentAt: 5 })]))).toMatchObject({ type: 'query', peer: BOB, nick: 'bob', messages: [{ id: 'dd01', sentAt: 5 }] })
    expect(only(r.query(undefined, 'x'))).toEqual({ type: 'query', messages: [] })
    expect(only(r.conversations([{ peer: BOB, nick: 'bob', last: 5, pending: 1 }, { peer: ALICE, last: 4, pending: 0 }]))).toEqual({
      type: 'dms', conversations: [{ peer: BOB, nick: 'bob', last: 5, pending: 1 }, { peer: ALICE, last: 4, pending: 0 }]
    })
    expect(only(r.ignored([{ peer: BOB, nick: 'bob' }]))).toEqual({ type: 'ignored', peers: [{ peer: BOB, nick: 'bob' }] })
    expect(only(r.ignoreChanged({ peer: BOB }, false, true, []))).toEqual({ type: 'ignored', peers: [] })
  })

  it('escapes what a terminal would act on', () => {
    expect(r.direct(directLine({ text: 'a\u202eb' }))[0]).toContain('a\\u202eb')
  })
})
