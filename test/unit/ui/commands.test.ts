import { describe, expect, it } from 'vitest'
import { BAN_REASON_MAX, COMMANDS, TITLE_MAX, closestCommand, parseInput } from '../../../src/ui/commands.js'
import { MAX_BAN_REASON_LENGTH, MAX_TITLE_LENGTH } from '../../../src/room/governance-codec.js'
import type { ParsedInput } from '../../../src/ui/commands.js'

const HISTORY_USAGE = 'usage: /history [n] [skip]: n is 1 to 1000 messages, skip how many of the newest to pass over (e.g. /history 20 40)'

describe('parseInput', () => {
  const table: Array<[string, ParsedInput]> = [
    ['hello world', { type: 'say', text: 'hello world' }],
    ['  indented text  ', { type: 'say', text: '  indented text' }],
    ['//etc/passwd is a path', { type: 'say', text: '/etc/passwd is a path' }],
    ['//', { type: 'say', text: '/' }],
    ['', { type: 'empty' }],
    ['   \t ', { type: 'empty' }],
    ['/help', { type: 'help' }],
    ['/connect /ip4/1.2.3.4/tcp/4001', { type: 'connect', multiaddr: '/ip4/1.2.3.4/tcp/4001' }],
    ['/connect    /ip4/1.2.3.4/tcp/4001   ', { type: 'connect', multiaddr: '/ip4/1.2.3.4/tcp/4001' }],
    ['/connect', { type: 'error', message: 'usage: /connect <multiaddr>: give a peer\'s address, e.g. /connect /ip4/192.0.2.7/tcp/4001/p2p/12D3KooW…' }],
    ['/connect a b', { type: 'error', message: 'usage: /connect <multiaddr>: one address, with no spaces in it' }],
    ['/peers', { type: 'peers' }],
    ['/peers now', { type: 'error', message: 'usage: /peers' }],
    ['/nick bob', { type: 'nick', nick: 'bob' }],
    ['/nick', { type: 'error', message: 'usage: /nick <name>: give the new nick, e.g. /nick alice' }],
    ['/nick two words', { type: 'error', message: 'a nick cannot contain spaces; try /nick two_words' }],
    ['/me waves  at   you', { type: 'me', text: 'waves  at   you' }],
    ['/me', { type: 'error', message: 'usage: /me <action>' }],
    ['/me   ', { type: 'error', message: 'usage: /me <action>' }],
    ['/id', { type: 'id' }],
    ['/quit', { type: 'quit' }],
    ['/exit', { type: 'quit' }],
    ['/status', { type: 'status' }],
    ['/status at lunch, back at 2', { type: 'status-set', text: 'at lunch, back at 2' }],
    ['/status    in a  meeting  ', { type: 'status-set', text: 'in a  meeting' }],
    ['/status -', { type: 'status-set', text: '' }],
    ['/status clear', { type: 'status-set', text: '' }],
    ['/status CLEAR', { type: 'status-set', text: '' }],
    ['/status - now', { type: 'status-set', text: '- now' }],
    [`/status ${'x'.repeat(100)}`, { type: 'status-set', text: 'x'.repeat(100) }],
    [`/status ${'x'.repeat(101)}`, { type: 'error', message: 'usage: /status [text|-] (text at most 100 characters)' }],
    ['/away', { type: 'away' }],
    ['/away now', { type: 'error', message: 'usage: /away' }],
    ['/rooms', { type: 'rooms' }],
    ['/ROOMS', { type: 'rooms' }],
    ['/rooms all', { type: 'error', message: 'usage: /rooms' }],
    ['/join general', { type: 'join', room: 'general' }],
    ['/join   p2pchat/ops  ', { type: 'join', room: 'p2pchat/ops' }],
    ['/join', { type: 'error', message: 'usage: /join <name|topic|invite>' }],
    ['/join   ', { type: 'error', message: 'usage: /join <name|topic|invite>' }],
    ['/leave', { type: 'leave' }],
    ['/leave general', { type: 'error', message: 'usage: /leave' }],
    ['/who', { type: 'who' }],
    ['/who bob', { type: 'error', message: 'usage: /who' }],
    ['/census', { type: 'census' }],
    ['/census 3', { type: 'error', message: 'usage: /census' }],
    ['/history', { type: 'history', limit: 20, skip: 0 }],
    ['/history 5', { type: 'history', limit: 5, skip: 0 }],
    ['/history 20 40', { type: 'history', limit: 20, skip: 40 }],
    ['/history 1 2 3', { type: 'error', message: HISTORY_USAGE }],
    ['/lastlog deploy done', { type: 'lastlog', text: 'deploy done' }],
    ['/lastlog', { type: 'error', message: 'usage: /lastlog <text>: give the text to look for, e.g. /lastlog deploy' }],
    ['/history 1000', { type: 'history', limit: 1000, skip: 0 }],
    ['/history 0', { type: 'error', message: HISTORY_USAGE }],
    ['/history 1001', { type: 'error', message: HISTORY_USAGE }],
    ['/history ten', { type: 'error', message: HISTORY_USAGE }],
    ['/history -3', { type: 'error', message: HISTORY_USAGE }],
    ['/clear', { type: 'clear' }],
    ['/HELP', { type: 'help' }],
    ['/Connect /ip4/1.2.3.4/tcp/1', { type: 'connect', multiaddr: '/ip4/1.2.3.4/tcp/1' }],
    ['/NiCk Bob', { type: 'nick', nick: 'Bob' }],
    ['/EXIT', { type: 'quit' }],
    ['/committee', { type: 'committee' }],
    ['/committee now', { type: 'error', message: 'usage: /committee' }],
    ['/pins', { type: 'pins' }],
    ['/pins all', { type: 'error', message: 'usage: /pins' }],
    ['/title Release  planning ', { type: 'title', text: 'Release  planning' }],
    ['/title -', { type: 'title', text: '' }],
    ['/title clear', { type: 'title', text: '' }],
    ['/title', { type: 'error', message: 'usage: /title <text|->: give the title, e.g. /title Release planning (/title - clears it)' }],
    [`/title ${'t'.repeat(200)}`, { type: 'title', text: 't'.repeat(200) }],
    [`/title ${'t'.repeat(201)}`, { type: 'error', message: 'usage: /title <text|-> (a title is at most 200 characters)' }],
    ['/ban bob', { type: 'ban', target: 'bob', reason: '' }],
    ['/ban  bob#5678   flooding  the room ', { type: 'ban', target: 'bob#5678', reason: 'flooding  the room' }],
    ['/ban', { type: 'error', message: 'usage: /ban <nick|peer id> [reason]: name the peer, e.g. /ban bob flooding the room' }],
    [`/ban bob ${'r'.repeat(200)}`, { type: 'ban', target: 'bob', reason: 'r'.repeat(200) }],
    [`/ban bob ${'r'.repeat(201)}`, { type: 'error', message: 'usage: /ban <nick|peer id> [reason] (a reason is at most 200 characters)' }],
    ['/unban bob', { type: 'unban', target: 'bob' }],
    ['/unban', { type: 'error', message: 'usage: /unban <nick|peer id>: name the peer, e.g. /unban bob' }],
    ['/unban bob carol', { type: 'error', message: 'usage: /unban <nick|peer id>: one nick or peer id, with no spaces in it' }],
    ['/pin 3f9a', { type: 'pin', target: '3f9a' }],
    ['/pin #3f9a1c2e', { type: 'pin', target: '#3f9a1c2e' }],
    ['/pin', { type: 'error', message: 'usage: /pin <id|nick>: give 4 or more hex characters of the message id (/lastlog shows ids), or a nick for its last line' }],
    ['/pin bob carol', { type: 'error', message: 'usage: /pin <id|nick>: one id or nick, with no spaces in it' }],
    ['/unpin bob', { type: 'unpin', target: 'bob' }],
    ['/unpin', { type: 'error', message: 'usage: /unpin <id|nick>: give 4 or more hex characters of the message id (/pins shows ids), or a nick for its last pinned line' }]
  ]
  it.each(table)('%j', (line, expected) => {
    expect(parseInput(line)).toEqual(expected)
  })

  it('treats a lone slash as an error that explains //', () => {
    const parsed = parseInput('/')
    expect(parsed.type).toBe('error')
    expect(parsed.type === 'error' && parsed.message).toContain('//')
  })

  it('limits titles and ban reasons as the committee does', () => {
    expect(TITLE_MAX).toBe(MAX_TITLE_LENGTH)
    expect(BAN_REASON_MAX).toBe(MAX_BAN_REASON_LENGTH)
  })

  it('every registered command parses (no registered name is "unknown")', () => {
    for (const c of COMMANDS) {
      for (const name of [c.name, ...c.aliases]) {
        expect(parseInput(`/${name}`).type).not.toBe('unknown')
      }
    }
  })
})

describe('unknown commands', () => {
  const hints: Array<[string, string]> = [
    ['/peer', 'unknown command /peer — did you mean /peers? Type /help for the list.'],
    ['/conect x', 'unknown command /conect — did you mean /connect? Type /help for the list.'],
    ['/hlep', 'unknown command /hlep — did you mean /help? Type /help for the list.'],
    ['/stats', 'unknown command /stats — did you mean /status? Type /help for the list.'],
    ['/hist', 'unknown command /hist — did you mean /history? Type /help for the list.'],
    ['/Nik', 'unknown command /Nik — did you mean /nick? Type /help for the list.'],
    ['/qiut', 'unknown command /qiut — did you mean /quit? Type /help for the list.'],
    ['/xyzzy', 'unknown command /xyzzy. Type /help for the list.'],
    ['/room', 'unknown command /room — did you mean /rooms? Type /help for the list.'],
    ['/jion x', 'unknown command /jion — did you mean /join? Type /help for the list.'],
    ['/leav', 'unknown command /leav — did you mean /leave? Type /help for the list.'],
    ['/wh', 'unknown command /wh — did you mean /who? Type /help for the list.'],
    ['/cens', 'unknown command /cens — did you mean /census? Type /help for the list.'],
    ['/awya', 'unknown command /awya — did you mean /away? Type /help for the list.'],
    ['/part', 'unknown command /part — did you mean /leave? Type /help for the list.'],
    ['/names', 'unknown command /names — did you mean /who? Type /help for the list.'],
    ['/LIST', 'unknown command /LIST — did you mean /rooms? Type /help for the list.'],
    ['/privmsg bob hi', 'unknown command /privmsg — did you mean /msg? Type /help for the list.'],
    ['/topic x', 'unknown command /topic — did you mean /title? Type /help for the list.'],
    ['/comittee', 'unknown command /comittee — did you mean /committee? Type /help for the list.']
  ]
  it.each(hints)('%s', (line, hint) => {
    const parsed = parseInput(line)
    expect(parsed).toEqual({ type: 'unknown', name: line.slice(1).split(' ')[0], hint })
  })

  it('closestCommand returns undefined when nothing is close', () => {
    expect(closestCommand('zzzzzz')).toBeUndefined()
    expect(closestCommand('ide')).toBe('id')
  })
})
