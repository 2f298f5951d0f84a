import util from 'node:util'
import { afterEach, describe, expect, it } from 'vitest'
import { PEER_PALETTE, createStyler, peerColor, shouldUseColor } from '../../../src/ui/style.js'
import { formatChatLine } from '../../../src/ui/format.js'
import { ALICE, BOB, chatLine } from './fake-session.js'

// eslint-disable-next-line no-control-regex
const ESC = /\x1b/

describe('shouldUseColor', () => {
  const tty = { isTTY: true, env: {}, noColorFlag: false }
  it('is on for a TTY with a plain environment', () => {
    expect(shouldUseColor(tty)).toBe(true)
    expect(shouldUseColor({ ...tty, env: { TERM: 'xterm-256color', NO_COLOR: '' } })).toBe(true)
  })
  it('is off when not a TTY', () => { expect(shouldUseColor({ ...tty, isTTY: false })).toBe(false) })
  it('is off with NO_COLOR set to any non-empty value', () => {
    expect(shouldUseColor({ ...tty, env: { NO_COLOR: '1' } })).toBe(false)
    expect(shouldUseColor({ ...tty, env: { NO_COLOR: 'false' } })).toBe(false)
  })
  it('is off with TERM=dumb', () => { expect(shouldUseColor({ ...tty, env: { TERM: 'dumb' } })).toBe(false) })
  it('is off with --no-color', () => { expect(shouldUseColor({ ...tty, noColorFlag: true })).toBe(false) })
})

describe('Styler', () => {
  const original = util.styleText
  afterEach(() => { (util as { styleText?: typeof util.styleText }).styleText = original })

  it('emits no escape codes when disabled', () => {
    const plain = createStyler(false)
    expect(plain.apply(['bold', 'red'], 'x')).toBe('x')
    const lines = formatChatLine(chatLine({ own: true, state: 'not-confirmed', outOfOrder: true, gapBefore: ['a'] }), plain)
    for (const l of lines) expect(l).not.toMatch(ESC)
  })

  it('emits escape codes when enabled, whatever process.stdout is (validateStream off)', () => {
    const styled = createStyler(true).apply('red', 'x')
    expect(styled).toMatch(ESC)
    expect(styled).toContain('x')
    expect(styled).toBe('\x1b[31mx\x1b[39m')
  })

  it('ignores NO_COLOR in the environment once the caller decided on colour', () => {
    const saved = process.env.NO_COLOR
    process.env.NO_COLOR = '1'
    try {
      expect(createStyler(true).apply('red', 'x')).toBe('\x1b[31mx\x1b[39m')
    } finally {
      if (saved === undefined) delete process.env.NO_COLOR
      else process.env.NO_COLOR = saved
    }
  })

  it('applies several formats', () => {
    expect(createStyler(true).apply(['bold', 'red'], 'x')).toBe('\x1b[1m\x1b[31mx\x1b[39m\x1b[22m')
  })

  it('falls back to plain text when util.styleText is missing at call time (Node 20.11)', () => {
    const styler = createStyler(true);
    (util as { styleText?: typeof util.styleText }).styleText = undefined
    expect(styler.apply('red', 'x')).toBe('x')
  })

  it('uses a styleText installed after the styler was created (compat polyfill)', () => {
    const styler = createStyler(true);
    (util as { styleText?: unknown }).styleText = (format: string, text: string) => `<${format}>${text}`
    expect(styler.apply('dim', 'x')).toBe('<dim>x')
  })
})

describe('peerColor', () => {
  it('never uses red', () => {
    expect(PEER_PALETTE).not.toContain('red')
    for (let i = 0; i < 200; i++) expect(peerColor(`12D3KooW${i}`)).not.toBe('red')
  })

  it('is stable for a peer id', () => {
    expect(peerColor(BOB)).toBe(peerColor(BOB))
  })

  it('spreads ids over the palette', () => {
    const seen = new Set(Array.from({ length: 200 }, (_, i) => peerColor(`12D3KooWpeer${i}`)))
    expect(seen.size).toBeGreaterThan(5)
  })

  it('colours the sender by peer id, not by nick', () => {
    expect(peerColor(ALICE)).not.toBe(peerColor(BOB)) // chosen ids that hash apart
    const styler = createStyler(true)
    const bobAsBob = formatChatLine(chatLine({ from: BOB, nick: 'bob' }), styler)[0]
    const bobAsMallory = formatChatLine(chatLine({ from: BOB, nick: 'mallory' }), styler)[0]
    const aliceAsBob = formatChatLine(chatLine({ from: ALICE, nick: 'bob' }), styler)[0]
    const colourOfNick = (line: string, nick: string): string => {
      const i = line.indexOf(nick)
      return line.slice(line.lastIndexOf('\x1b[', i), i)
    }
    expect(colourOfNick(bobAsBob, 'bob')).toBe(colourOfNick(bobAsMallory, 'mallory'))
    expect(colourOfNick(aliceAsBob, 'bob')).not.toBe(colourOfNick(bobAsBob, 'bob'))
  })
})
