import { describe, expect, it } from 'vitest'
import { stripVTControlCharacters } from 'node:util'
import { hangingIndent, wrapLine } from '../../../src/ui/wrap.js'
import { displayWidth } from '../../../src/ui/text-width.js'
import { createStyler } from '../../../src/ui/style.js'

const rowsOf = (text: string): string[] => stripVTControlCharacters(text).split('\n')

describe('wrapLine', () => {
  it('leaves a line that fits alone', () => {
    expect(wrapLine('12:04 <alice> hi', 40)).toBe('12:04 <alice> hi')
  })

  it('breaks between words with a hanging indent under the text of a chat line', () => {
    const rows = rowsOf(wrapLine('12:04 <alice> the quick brown fox jumps over the lazy dog and keeps running', 40))
    expect(rows).toEqual([
      '12:04 <alice> the quick brown fox jumps',
      '              over the lazy dog and',
      '              keeps running'
    ])
  })

  it('indents actions, system lines, history and trusted lines under their text', () => {
    expect(rowsOf(wrapLine('12:04 * bob waves at everyone in the room', 24))[1]).toMatch(/^ {12}\S/)
    expect(rowsOf(wrapLine('12:04 -!- alice (12D3…abcd) joined the room just now', 30))[1]).toMatch(/^ {10}\S/)
    expect(hangingIndent('12:04 ~ ★ <carol> hello')).toBe(18)
  })

  it('indents a help or table row under its second column', () => {
    const rows = rowsOf(wrapLine('  /connect <multiaddr>   dial a peer by its address, with or without its peer id', 50))
    expect(rows[0]).toBe('  /connect <multiaddr>   dial a peer by its')
    for (const row of rows.slice(1)) expect(row).toMatch(/^ {25}\S/)
  })

  it('cuts a word longer than the room left', () => {
    const rows = rowsOf(wrapLine(`12:04 <bob> ${'x'.repeat(50)}`, 32))
    expect(rows).toEqual([`12:04 <bob> ${'x'.repeat(20)}`, `            ${'x'.repeat(20)}`, `            ${'x'.repeat(10)}`])
  })

  it('never makes a row wider than the terminal, with CJK, emoji and ZWJ sequences (each a whole cluster)', () => {
    const family = '👨\u200d👩\u200d👧'
    const text = `12:04 <carol> 中文字符中文字符中文字符 ${family} ${family} 日本語のテキスト 🇫🇷 👍🏽 done`
    for (const columns of [20, 24, 31, 40]) {
      const rows = rowsOf(wrapLine(text, columns))
      for (const row of rows) expect(displayWidth(row)).toBeLessThanOrEqual(columns)
      expect(rows.join('').replace(/\s+/g, '')).toBe(text.replace(/\s+/g, ''))
      expect(rows.join('\n')).toContain(family) // never split inside the cluster
    }
  })

  it('keeps colours on across the break and never counts escape codes as width', () => {
    const styler = createStyler(true)
    const line = styler.apply('dim', `12:04 ~ <dave> ${'word '.repeat(12)}`.trim())
    const wrapped = wrapLine(line, 30)
    const rows = wrapped.split('\n')
    expect(rows.length).toBeGreaterThan(1)
    for (const row of rows) {
      expect(displayWidth(row)).toBeLessThanOrEqual(30)
      expect(row).toContain('\x1b[2m') // each row dim
    }
  })

  it('falls back to plain word-wrap when the indent would take over half the width', () => {
    const rows = rowsOf(wrapLine(`09:41 <alice> ${'a'.repeat(30)} ·`, 20))
    expect(rows).toEqual(['09:41 <alice>', 'a'.repeat(20), `${'a'.repeat(10)} ·`])
  })
})

describe('wrapLine on prose', () => {
  it('keeps every word whole and indents the rest two columns', () => {
    const text = "In lines, ★ before the sender marks one of the room's trusted peers; in /who and /rooms, * marks you."
    const rows = rowsOf(wrapLine(text, 40))
    expect(rows[0]).toBe('In lines, ★ before the sender marks') // the first row leaves the indent's two columns too
    for (const row of rows.slice(1)) expect(row).toMatch(/^ {2}\S/)
    expect(rows.map(r => r.trim()).join(' ')).toBe(text)
  })
})
