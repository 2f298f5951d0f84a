import { describe, expect, it } from 'vitest'
import { findCommand, parseInput } from '../../../src/ui/commands.js'
import type { ParsedInput } from '../../../src/ui/commands.js'

const PEER = '12D3KooWBobBobBobBobBobBobBobBobBobBobBobBobBobBob5678'

describe('direct-message commands: parsing', () => {
  const table: Array<[string, ParsedInput]> = [
    ['/msg bob hi there', { type: 'msg', target: 'bob', text: 'hi there' }],
    ['/MSG bob   spaced  out ', { type: 'msg', target: 'bob', text: 'spaced  out' }],
    [`/msg ${PEER} hi`, { type: 'msg', target: PEER, text: 'hi' }],
    ['/msg bob#5678 /not a command', { type: 'msg', target: 'bob#5678', text: '/not a command' }],
    ['/msg', { type: 'error', message: 'usage: /msg <nick|peer id> <text>: name the peer, then the text, e.g. /msg bob are you there?' }],
    ['/msg bob', { type: 'error', message: 'usage: /msg <nick|peer id> <text>: name the peer, then the text, e.g. /msg bob are you there?' }],
    ['/query bob', { type: 'query', target: 'bob' }],
    ['/query', { type: 'error', message: 'usage: /query <nick|peer id>: name the peer, e.g. /query bob (/back returns to the room)' }],
    ['/query bob carol', { type: 'error', message: 'usage: /query <nick|peer id>: one nick or peer id, with no spaces in it' }],
    ['/back', { type: 'back' }],
    ['/back now', { type: 'error', message: 'usage: /back' }],
    ['/dms', { type: 'dms' }],
    ['/dms x', { type: 'error', message: 'usage: /dms' }],
    ['/ignore', { type: 'ignored' }],
    ['/ignore bob', { type: 'ignore', target: 'bob' }],
    ['/ignore bob carol', { type: 'error', message: 'usage: /ignore [nick|peer id]: one nick or peer id, with no spaces in it' }],
    ['/unignore bob', { type: 'unignore', target: 'bob' }],
    ['/unignore', { type: 'error', message: 'usage: /unignore <nick|peer id>: name the peer, e.g. /unignore bob (/ignore lists them)' }]
  ]
  it.each(table)('%j', (line, expected) => {
    expect(parseInput(line)).toEqual(expected)
  })

  it('suggests /msg for the names other chat programs use', () => {
    for (const name of ['privmsg', 'tell', 'whisper', 'dm']) {
      expect(parseInput(`/${name} bob hi`)).toMatchObject({ type: 'unknown', hint: `unknown command /${name} — did you mean /msg? Type /help for the list.` })
    }
  })

  it('registers every command for /help', () => {
    for (const name of ['msg', 'query', 'back', 'dms', 'ignore', 'unignore']) expect(findCommand(name)?.name).toBe(name)
  })
})
