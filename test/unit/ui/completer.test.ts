import { describe, expect, it } from 'vitest'
import { complete } from '../../../src/ui/completer.js'
import { commandNames } from '../../../src/ui/commands.js'

const nicks = ['bob', 'Bobby', 'carol', 'evil\x1b[2J', 'two words', '']

describe('complete', () => {
  it('completes a command after /, with a space when it takes arguments', () => {
    expect(complete('/pe', nicks)).toEqual([['/peers'], '/pe'])
    expect(complete('/con', nicks)).toEqual([['/connect '], '/con'])
    expect(complete('/c', nicks)).toEqual([['/connect ', '/create ', '/census', '/committee', '/clear'], '/c'])
    expect(complete('/pi', nicks)).toEqual([['/pins', '/pin '], '/pi'])
    expect(complete('/j', nicks)).toEqual([['/join '], '/j'])
    expect(complete('/w', nicks)).toEqual([['/who'], '/w'])
    expect(complete('/EX', nicks)).toEqual([['/exit'], '/EX'])
  })

  it('lists every command for a lone / or no match', () => {
    expect(complete('/', nicks)[0]).toHaveLength(commandNames().length)
    expect(complete('/zz', nicks)[0]).toHaveLength(commandNames().length)
  })

  it('completes room names after /join, asking for them only then', () => {
    const rooms = ['general', 'gaming', 'Ops', 'two words', 'bad\x1b[2J']
    let asked = 0
    const lookup = (): string[] => { asked++; return rooms }
    expect(complete('/join g', nicks, lookup)).toEqual([['gaming', 'general'], 'g'])
    expect(complete('/JOIN  op', nicks, lookup)).toEqual([['Ops'], 'op'])
    expect(complete('/join ', nicks, lookup)).toEqual([['Ops', 'gaming', 'general'], ''])
    expect(complete('/join zz', nicks, lookup)).toEqual([[], 'zz'])
    expect(asked).toBe(4)
    expect(complete('hi ge', nicks, lookup)).toEqual([[], 'ge'])
    expect(complete('/joi', nicks, lookup)).toEqual([['/join '], '/joi'])
    expect(asked).toBe(4)
  })

  it('completes the last word against known nicks, case-insensitively', () => {
    expect(complete('hi bo', nicks)).toEqual([['Bobby', 'bob'], 'bo'])
    expect(complete('hi ca', nicks)).toEqual([['carol'], 'ca'])
    expect(complete('/me pokes car', nicks)).toEqual([['carol'], 'car'])
  })

  it('adds ": " to a unique nick that starts the line', () => {
    expect(complete('car', nicks)).toEqual([['carol: '], 'car'])
  })

  it('offers nothing for an empty word, and never a nick with control characters or spaces', () => {
    expect(complete('', nicks)).toEqual([[], ''])
    expect(complete('hi ', nicks)).toEqual([[], ''])
    expect(complete('ev', nicks)).toEqual([[], 'ev'])
    expect(complete('two', nicks)).toEqual([[], 'two'])
  })
})
