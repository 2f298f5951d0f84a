import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { P2pchatError } from '../../../src/errors.js'
import { runUi } from '../../../src/ui/run.js'
import { ALICE, BOB, Collector, FakeSession, at, chatLine, rosterEntry, waitFor } from './fake-session.js'

const now = (): number => at(12, 0)

function start (session: FakeSession, json = false): { input: PassThrough, output: Collector, done: ReturnType<typeof runUi> } {
  const input = new PassThrough()
  const output = new Collector()
  const done = runUi(session, { input, output, json, now, interactive: false, forceExit: () => { throw new Error('forceExit must not be called') } })
  return { input, output, done }
}

// eslint-disable-next-line no-control-regex
const ESC = /\x1b/

describe('runUi in plain (piped) mode', () => {
  it('/nick warns when another peer here goes by the same nick', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry({ nick: 'Bob' })]
    const { input, output, done } = start(session)
    input.end('/nick bob\n')
    await done
    expect(output.text).toContain('12:00 -!- you are now known as bob\n')
    expect(output.text).toMatch(/another peer here is also called bob: lines show a tag from the peer id to tell you apart \(bob#\S{4} is you\)/)
  })

  it('sends plain lines, runs commands, and resolves eof at end of input', async () => {
    const session = new FakeSession()
    const { input, output, done } = start(session)
    input.end([
      'hello there',
      '/me waves',
      '/nick al',
      '//slash text',
      '',
      '/peers',
      '/id',
      '/status',
      '/history 3',
      '/help'
    ].join('\n') + '\n')
    expect(await done).toEqual({ reason: 'eof' })
    expect(session.calls.slice(0, 5)).toEqual([
      { method: 'send', args: ['hello there'] },
      { method: 'sendAction', args: ['waves'] },
      { method: 'setNick', args: ['al'] },
      { method: 'who', args: [] }, // is anyone else here called al?
      { method: 'send', args: ['/slash text'] }
    ])
    expect(session.methods().slice(5)).toEqual(['peers', 'identity', 'status', 'history'])
    expect(session.calls.find(c => c.method === 'history')?.args).toEqual([3])
    const text = output.text
    expect(text).toContain('12:00 -!- you are now known as al\n')
    expect(text).toContain('no peers connected\n')
    expect(text).toContain('peer id  12D3Koo')
    expect(text).toContain('12:00 -!- no messages yet\n')
    expect(text).toContain('/connect <multiaddr>')
    expect(text).not.toMatch(ESC)
    expect(session.listenerCount).toBe(0)
  })

  it('prints one error line for a bad /connect address, with no "connecting" before it, and keeps going', async () => {
    const session = new FakeSession()
    const { input, output, done } = start(session)
    input.end('/connect garbage\nstill here\n')
    expect(await done).toEqual({ reason: 'eof' })
    expect(output.lines()).toEqual([
      '12:00 -!- invalid multiaddr "garbage": it must start with "/", e.g. /ip4/127.0.0.1/tcp/4001/p2p/12D3Koo…'
    ])
    expect(session.calls.some(c => c.method === 'connect')).toBe(false)
    expect(session.calls.at(-1)).toEqual({ method: 'send', args: ['still here'] })
  })

  it('prints one error line for a failing /connect and keeps going', async () => {
    const session = new FakeSession()
    session.connectImpl = async (ma) => { throw new P2pchatError('DIAL_FAILED', `cannot connect to ${ma}: connection refused\n    at dial (stack.js:1:1)`) }
    const { input, output, done } = start(session)
    input.end('/connect /ip4/127.0.0.1/tcp/9\nstill here\n')
    expect(await done).toEqual({ reason: 'eof' })
    expect(output.lines()).toEqual([
      '12:00 -!- connecting to /ip4/127.0.0.1/tcp/9 …',
      '12:00 -!- cannot connect to /ip4/127.0.0.1/tcp/9: connection refused'
    ])
    expect(session.calls.at(-1)).toEqual({ method: 'send', args: ['still here'] })
  })

  it('shows "connected to <shortId>" after a successful /connect', async () => {
    const session = new FakeSession()
    const { input, output, done } = start(session)
    input.end('/connect /ip4/127.0.0.1/tcp/4001/p2p/12D3KooWAtFrWLt6x4U74a89w6UpPjuGprNNRXmxKcA1wkqLG8wr\n')
    await done
    expect(output.lines()).toEqual([
      '12:00 -!- connecting to /ip4/127.0.0.1/tcp/4001/p2p/12D3KooWAtFrWLt6x4U74a89w6UpPjuGprNNRXmxKcA1wkqLG8wr …',
      '12:00 -!- connected to 12D3…5678'
    ])
  })

  it('prints usage errors, unknown-command hints and send failures as single lines', async () => {
    const session = new FakeSession()
    session.sendImpl = async () => { throw new Error('not started yet') }
    const { input, output, done } = start(session)
    input.end('/nick\n/peer\nhello\n/nick ok\n')
    await done
    expect(output.lines()).toEqual([
      '12:00 -!- usage: /nick <name>: give the new nick, e.g. /nick alice',
      '12:00 -!- unknown command /peer — did you mean /peers? Type /help for the list.',
      '12:00 -!- not started yet',
      '12:00 -!- you are now known as ok'
    ])
  })

  it('prints a rejected /nick as one line and keeps the old nick', async () => {
    const session = new FakeSession()
    session.setNick = (nick: string) => { throw new P2pchatError('INVALID_COMMAND', `invalid nick "${nick}": 1-32 printable characters, no spaces`) }
    const { input, output, done } = start(session)
    input.end('/nick \u0007bell\n/clear\n')
    await done
    expect(output.lines()).toEqual(['12:00 -!- invalid nick "␇bell": 1-32 printable characters, no spaces'])
  })

  it('prints session events as lines', async () => {
    const session = new FakeSession()
    const { input, output, done } = start(session)
    session.emit('message', chatLine({ receivedAt: at(9, 41), text: 'hi all' }))
    session.emit('peer:join', { peerId: BOB, nick: 'bob' })
    session.emit('notice', { level: 'warn', text: 'dropped a forged message' })
    session.emit('peer:leave', { peerId: BOB })
    input.end()
    await done
    expect(output.lines()).toEqual([
      '09:41 <bob> hi all',
      '12:00 -!- bob (12D3…5678) joined',
      '12:00 -!- dropped a forged message',
      '12:00 -!- 12D3…5678 left'
    ])
  })

  it('prints own lines without a passing mark, which could never be updated', async () => {
    const session = new FakeSession()
    const { input, output, done } = start(session)
    session.emit('message', chatLine({ id: 'm1', from: ALICE, nick: 'alice', own: true, state: 'pending', receivedAt: at(9, 41), text: 'mine' }))
    session.emit('message:state', { id: 'm1', state: 'confirmed' })
    session.emit('message', chatLine({ id: 'm2', from: ALICE, nick: 'alice', own: true, state: 'sent', receivedAt: at(9, 42), text: 'also' }))
    session.emit('message:state', { id: 'm2', state: 'not-confirmed' })
    input.end()
    await done
    expect(output.lines()).toEqual([
      '09:41 <alice> mine',
      '09:42 <alice> also',
      '12:00 -!- ✗ not confirmed by any peer: "also"'
    ])
  })

  it('handles lines in order: a /connect finishes before the next line is sent', async () => {
    const session = new FakeSession()
    let release!: () => void
    session.connectImpl = async () => { await new Promise<void>(resolve => { release = resolve }); return BOB }
    const { input, done } = start(session)
    input.write('/connect /ip4/1.2.3.4/tcp/1\nafter\n')
    await waitFor(() => session.methods().includes('connect'), 'connect')
    expect(session.methods()).toEqual(['connect'])
    release()
    input.end()
    await done
    expect(session.methods()).toEqual(['connect', 'send'])
  })

  it('/quit resolves quit and ignores later lines', async () => {
    const session = new FakeSession()
    const { input, done } = start(session)
    input.write('one\n/quit\ntwo\n')
    expect(await done).toEqual({ reason: 'quit' })
    expect(session.calls).toEqual([{ method: 'send', args: ['one'] }])
    expect(session.listenerCount).toBe(0)
  })

  it('/exit is /quit', async () => {
    const { input, done } = start(new FakeSession())
    input.write('/EXIT\n')
    expect(await done).toEqual({ reason: 'quit' })
  })

  it('an aborted signal makes it return quit', async () => {
    const session = new FakeSession()
    const controller = new AbortController()
    const done = runUi(session, { input: new PassThrough(), output: new Collector(), interactive: false, signal: controller.signal })
    controller.abort()
    expect(await done).toEqual({ reason: 'quit' })
    expect(session.listenerCount).toBe(0)
  })
})

describe('runUi with --json', () => {
  it('prints one JSON object per line for events and command results', async () => {
    const session = new FakeSession()
    session.connectImpl = async () => { throw new P2pchatError('DIAL_TIMEOUT', 'dial to /ip4/1.2.3.4/tcp/1 timed out after 10 s') }
    const { input, output, done } = start(session, true)
    session.emit('message', chatLine({ id: 'm1', receivedAt: at(9, 41) }))
    session.emit('message:state', { id: 'm1', state: 'confirmed' })
    session.emit('peer:join', { peerId: BOB })
    input.end('/connect /ip4/1.2.3.4/tcp/1\n/peers\n/bogus\n/id\n')
    expect(await done).toEqual({ reason: 'eof' })
    const events = output.lines().map(l => JSON.parse(l) as Record<string, unknown>)
    expect(events.map(e => e.type)).toEqual(['message', 'state', 'peer-join', 'notice', 'error', 'peers', 'error', 'id'])
    expect(events[0]).toMatchObject({ id: 'm1', from: BOB, ts: at(9, 41), time: new Date(at(9, 41)).toISOString() })
    expect(events[4]).toEqual({ type: 'error', text: 'dial to /ip4/1.2.3.4/tcp/1 timed out after 10 s', code: 'DIAL_TIMEOUT' })
    expect(events[6]).toMatchObject({ type: 'error', code: 'INVALID_COMMAND' })
  })

  it('uses line mode even when both streams are TTYs', async () => {
    const session = new FakeSession()
    const input = Object.assign(new PassThrough(), { isTTY: true, setRawMode: () => {} })
    const output = new Collector(true)
    const done = runUi(session, { input, output, json: true })
    input.end('/id\n')
    expect(await done).toEqual({ reason: 'eof' })
    expect(JSON.parse(output.text.trim())).toMatchObject({ type: 'id' })
  })

})

describe('runUi: /census, /history paging and /lastlog', () => {
  it('/census refused: the reason first and alone; accepted: "census running…" then the result', async () => {
    const session = new FakeSession()
    session.censusImpl = async () => { throw new P2pchatError('INVALID_COMMAND', 'a census ran moments ago; try again in 7 s') }
    const { input, output, done } = start(session)
    input.end('/census\n')
    await done
    expect(output.lines()).toEqual(['12:00 -!- a census ran moments ago; try again in 7 s'])

    const ok = new FakeSession()
    const result = { estimate: 3, low: 2, high: 4, replies: 2, p: 1, rosterCount: 3, durationMs: 5 }
    ok.censusImpl = async () => await new Promise(resolve => { setTimeout(() => { resolve(result) }, 5) }) // polls, as a real census does
    const second = start(ok)
    second.input.end('/census\n')
    await second.done
    expect(second.output.lines()[0]).toBe('12:00 -!- census running…')
    expect(second.output.lines()).toHaveLength(2)
  })

  it('/history pages back with a skip, and /lastlog lists the stored lines containing a text', async () => {
    const session = new FakeSession()
    session.lines = Array.from({ length: 50 }, (_, i) => chatLine({ id: `m${i}`, text: i % 10 === 0 ? `deploy ${i} DONE` : `line ${i}` }))
    const { input, output, done } = start(session)
    input.end('/history 3 10\n/lastlog done\n/lastlog nothing-like-this\n')
    await done
    const lines = output.lines()
    expect(lines[0]).toBe('12:00 -!- history: 3 messages ending 10 back (older: /history 3 13)')
    expect(lines.slice(1, 4).map(l => l.replace(/^.*> /, ''))).toEqual(['line 37', 'line 38', 'line 39'])
    expect(lines[4]).toBe('12:00 -!- end of history')
    expect(lines[5]).toBe('12:00 -!- lastlog: 5 messages containing "done"')
    expect(lines.slice(6, 11).map(l => l.replace(/^.*> /, ''))).toEqual(['deploy 0 DONE', 'deploy 10 DONE', 'deploy 20 DONE', 'deploy 30 DONE', 'deploy 40 DONE'])
    expect(lines[11]).toBe('12:00 -!- end of lastlog')
    expect(lines[12]).toBe('12:00 -!- lastlog: no stored message contains "nothing-like-this"')
  })
})
