import { describe, expect, it } from 'vitest'
import { isFinalState } from '../../../src/ui/format.js'
import { OwnLineTracker, rewriteSequence } from '../../../src/ui/own-line-tracker.js'
import { displayWidth, inputRows, printedRows } from '../../../src/ui/text-width.js'
import { createStyler } from '../../../src/ui/style.js'
import { ALICE, chatLine } from './fake-session.js'
import type { ChatLine, OwnMessageState } from '../../../src/session/types.js'

const own = (id: string, state: OwnMessageState = 'pending'): ChatLine => chatLine({ id, from: ALICE, nick: 'alice', own: true, state })

function tracker (rows = 24, columns = 80): OwnLineTracker {
  return new OwnLineTracker(() => ({ columns, rows }))
}

describe('text width', () => {
  it('counts visible columns: escapes none, wide characters and emoji two, combining marks none', () => {
    expect(displayWidth('abc')).toBe(3)
    expect(displayWidth(createStyler(true).apply(['bold', 'red'], 'abc'))).toBe(3)
    expect(displayWidth('日本語')).toBe(6)
    expect(displayWidth('ｈｉ')).toBe(4)
    expect(displayWidth('🎉!')).toBe(3)
    expect(displayWidth('e\u0301')).toBe(1)
    expect(displayWidth('… · ✓ ✗')).toBe(7)
  })

  it('measures grapheme clusters: ZWJ sequences, flags, skin tones and emoji presentation are one wide cluster', () => {
    expect(displayWidth('👨\u200d👩\u200d👧')).toBe(2)
    expect(displayWidth('👩\u200d💻 hi')).toBe(5)
    expect(displayWidth('❤\ufe0f')).toBe(2)
    expect(displayWidth('🇩🇪')).toBe(2)
    expect(displayWidth('👍🏽')).toBe(2)
    expect(displayWidth('中文 ok')).toBe(7)
  })

  it('counts rows of printed lines and of the input area (which wraps early when exactly full)', () => {
    expect(printedRows('', 10)).toBe(1)
    expect(printedRows('x'.repeat(10), 10)).toBe(1)
    expect(printedRows('x'.repeat(11), 10)).toBe(2)
    expect(printedRows('日'.repeat(6), 10)).toBe(2)
    expect(printedRows('abc\n  def\n', 10)).toBe(3)
    expect(inputRows('x'.repeat(9), 10)).toBe(1)
    expect(inputRows('x'.repeat(10), 10)).toBe(2)
  })
})

describe('OwnLineTracker', () => {
  it('builds a rewrite that saves the cursor, moves up, clears each row of the line, writes, and restores', () => {
    expect(rewriteSequence(3, 1, 'x ✓')).toBe('\x1b7\x1b[3A\r\x1b[2Kx ✓\x1b8')
    expect(rewriteSequence(4, 2, 'y')).toBe('\x1b7\x1b[4A\r\x1b[2K\x1b[1B\x1b[2K\x1b[1Ay\x1b8')
  })

  it('rewrites a line while rows below it plus its own fit on the screen, and forgets it after', () => {
    const t = tracker(5)
    t.wrote('me …', own('m1'))
    for (let i = 0; i < 3; i++) t.wrote('other')
    t.inputCleared()
    expect(t.rewrite(own('m1', 'sent'), 'me ·')).toBe(rewriteSequence(4, 1, 'me ·'))
    expect(t.line('m1')?.state).toBe('sent')
    t.wrote('one more')
    expect(t.rewrite(own('m1', 'confirmed'), 'me ✓')).toBeUndefined()
    expect(t.line('m1')).toBeUndefined()
  })

  it('counts a wrapped line as several rows', () => {
    const t = tracker(4, 20)
    t.wrote('x'.repeat(45), own('m1')) // 3 rows
    t.inputCleared()
    expect(t.rewrite(own('m1', 'confirmed'), 'y'.repeat(45))).toBe(rewriteSequence(3, 3, 'y'.repeat(45)))
    const u = tracker(4, 20)
    u.wrote('x'.repeat(45), own('m1'))
    u.wrote('other') // 3 + 1 rows: the line's first row has left a 4-row screen
    u.inputCleared()
    expect(u.rewrite(own('m1', 'confirmed'), 'y')).toBeUndefined()
  })

  it('stops tracking lines in a final state, and never tracks lines that start final', () => {
    const t = tracker()
    t.wrote('a', own('m1'))
    t.wrote('b', own('m2', 'confirmed'))
    expect(t.line('m2')).toBeUndefined()
    // ✗ is not final: a late acknowledgement turns it into ✓ in place.
    expect(t.rewrite(own('m1', 'not-confirmed'), 'a ✗')).toBeDefined()
    expect(t.line('m1')?.state).toBe('not-confirmed')
    expect(t.rewrite(own('m1', 'confirmed'), 'a ✓')).toBeDefined()
    expect(t.line('m1')).toBeUndefined()
    expect(isFinalState('sent')).toBe(false)
    expect(isFinalState('not-confirmed')).toBe(false)
    expect(isFinalState('confirmed')).toBe(true)
  })

  it('does not rewrite when the new text needs more rows, or when the screen height is unknown', () => {
    const t = tracker(24, 10)
    t.wrote('x'.repeat(10), own('m1'))
    expect(t.rewrite(own('m1', 'sent'), 'x'.repeat(11))).toBeUndefined()
    const u = tracker(0)
    u.wrote('a', own('m1'))
    expect(u.rewrite(own('m1', 'sent'), 'a ·')).toBeUndefined()
  })

  it('keeps the last 200 lines', () => {
    const t = tracker(1000)
    for (let i = 0; i < 201; i++) t.wrote('a', own(`m${i}`))
    expect(t.line('m0')).toBeUndefined()
    expect(t.line('m1')).toBeDefined()
  })

  it('keeps positions past emoji sequences (measured by grapheme), forgets them on a cleared screen or a forget()', () => {
    const t = tracker()
    t.wrote('a', own('m1'))
    t.wrote('👩\u200d💻 hi')
    expect(t.line('m1')).toBeDefined()
    t.wrote('b', own('m2'))
    t.screenCleared()
    expect(t.line('m2')).toBeUndefined()
    t.wrote('c', own('m3'))
    t.forget()
    expect(t.line('m3')).toBeUndefined()
  })

  it('allows for empty rows left below the prompt by an erased echo or a shrunk input', () => {
    const t = tracker(5, 10)
    t.wrote('me', own('m1'))
    for (let i = 0; i < 3; i++) t.wrote('other')
    // Enter on the bottom row scrolls once, then the echo is erased: the prompt sits a row higher.
    t.echoErased()
    t.inputCleared()
    expect(t.rewrite(own('m1', 'sent'), 'me')).toBeUndefined()

    const u = tracker(5, 10)
    u.wrote('me', own('m1'))
    u.wrote('other')
    u.wrote('other')
    u.inputDrawn('p> ' + 'x'.repeat(20)) // 3 rows of input at the bottom
    u.inputDrawn('p> ') // back to 1: two empty rows below it, and the line two rows higher
    u.inputCleared()
    expect(u.rewrite(own('m1', 'sent'), 'me')).toBeUndefined()
    const w = tracker(5, 10)
    w.wrote('me', own('m1'))
    w.wrote('other')
    w.inputDrawn('p> ' + 'x'.repeat(20))
    w.inputDrawn('p> ')
    w.inputCleared()
    expect(w.rewrite(own('m1', 'sent'), 'me')).toBe(rewriteSequence(2, 1, 'me'))

    const v = tracker(5, 10)
    v.wrote('me', own('m1'))
    v.wrote('other')
    v.inputDrawn('p> x')
    v.echoKept() // a command's echo stays: one more row below the line
    v.inputDrawn('p> ')
    v.inputCleared()
    expect(v.rewrite(own('m1', 'sent'), 'me')).toBe(rewriteSequence(3, 1, 'me'))
  })
})
