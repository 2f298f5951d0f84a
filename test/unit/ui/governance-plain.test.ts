import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { P2pchatError } from '../../../src/errors.js'
import { runUi } from '../../../src/ui/run.js'
import { ALICE, BOB, Collector, FakeSession, at, chatLine, committeeView, rosterEntry, waitFor } from './fake-session.js'

const CAROL = '12D3KooWCaroCaroCaroCaroCaroCaroCaroCaroCaroCaroCar1111'
const BOB2 = '12D3KooWBobTwoBobTwoBobTwoBobTwoBobTwoBobTwoBobTwo9abc'
const id = (head: string): string => head.padEnd(32, '0')

async function run (session: FakeSession, lines: string[], json = false): Promise<Collector> {
  const input = new PassThrough()
  const output = new Collector()
  const done = runUi(session, { input, output, json, now: () => at(12, 0), interactive: false, forceExit: () => { throw new Error('forceExit must not be called') } })
  input.end(lines.join('\n') + '\n')
  await done
  return output
}

const governed = (session: FakeSession): unknown[] => session.calls.filter(c => c.method === 'govern').map(c => c.args[0])

describe('committee commands in line mode', () => {
  it('/ban resolves a nick from the roster and confirms what the leader took', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry({ peerId: ALICE, nick: 'alice', self: true }), rosterEntry()]
    const output = await run(session, ['/ban Bob flooding the room'])
    expect(governed(session)).toEqual([{ type: 'ban', peer: BOB, reason: 'flooding the room' }])
    expect(output.lines()).toEqual(['12:00 -!- the committee is deciding: ban bob (12D3…5678) (flooding the room)'])
  })

  it('/ban of a nick two peers use asks which, and asks nothing of the committee', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry(), rosterEntry({ peerId: BOB2, nick: 'bob' })]
    const output = await run(session, ['/ban bob', '/ban bob#9abc'])
    expect(output.lines()[0]).toBe('12:00 -!- "bob" is 2 peers: bob#5678 (12D3…5678), bob#9abc (12D3…9abc); name one as nick#tag, or by its full peer id')
    expect(governed(session)).toEqual([{ type: 'ban', peer: BOB2, reason: '' }])
  })

  it('shows the committee\'s refusal as one error line', async () => {
    const session = new FakeSession()
    session.governImpl = async () => { throw new P2pchatError('INVALID_COMMAND', 'only a trusted peer of this room may ban') }
    const output = await run(session, [`/ban ${CAROL} spam`])
    expect(governed(session)).toEqual([{ type: 'ban', peer: CAROL, reason: 'spam' }])
    expect(output.lines()).toEqual(['12:00 -!- only a trusted peer of this room may ban'])
  })

  it('/unban finds a banned peer by the nick it had, even when it is gone', async () => {
    const session = new FakeSession()
    session.committeeView = committeeView({ banned: [{ peer: CAROL, nick: 'eve', reason: 'spam', by: ALICE, at: at(11, 0) }] })
    const output = await run(session, ['/unban eve'])
    expect(governed(session)).toEqual([{ type: 'unban', peer: CAROL }])
    expect(output.lines()).toEqual(['12:00 -!- the committee is deciding: lift the ban on eve (12D3…1111)'])
  })

  it('/title sets and clears', async () => {
    const session = new FakeSession()
    await run(session, ['/title Release planning', '/title -'])
    expect(governed(session)).toEqual([{ type: 'title', text: 'Release planning' }, { type: 'title', text: '' }])
  })

  it('/pin takes an id prefix or a nick\'s last line; /unpin looks among the pins', async () => {
    const session = new FakeSession()
    session.lines = [
      chatLine({ id: id('3f9a1c2e'), text: 'deploy done' }),
      chatLine({ id: id('beef'), from: CAROL, nick: 'carol', text: 'lunch?' }),
      chatLine({ id: id('c0ffee'), text: 'newest from bob' })
    ]
    session.committeeView = committeeView({ pins: [{ messageId: id('beef'), line: session.lines[1] }] })
    const output = await run(session, ['/pin 3f9a', '/pin bob', '/unpin carol', '/unpin 3f9a'])
    expect(governed(session)).toEqual([{ type: 'pin', messageId: id('3f9a1c2e') }, { type: 'pin', messageId: id('c0ffee') }, { type: 'unpin', messageId: id('beef') }])
    expect(output.lines()).toEqual([
      '12:00 -!- the committee is deciding: pin #3f9a1c2e (bob: deploy done)',
      '12:00 -!- the committee is deciding: pin #c0ffee00 (bob: newest from bob)',
      '12:00 -!- the committee is deciding: unpin #beef0000 (carol: lunch?)',
      '12:00 -!- no pinned message "3f9a": /pins lists them with their ids'
    ])
    expect(session.calls.find(c => c.method === 'history')?.args).toEqual([1000])
  })

  it('/committee and /pins show the session\'s view', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry({ peerId: ALICE, nick: 'alice', self: true }), rosterEntry()]
    session.committeeView = committeeView({ members: [ALICE, BOB], leader: BOB, pins: [{ messageId: id('ab') }] })
    const output = await run(session, ['/committee', '/pins'])
    expect(output.lines()).toContain('members        alice (you), bob (leader)')
    expect(output.lines().slice(-2)).toEqual(['12:00 -!- pins: 1 message (/unpin <id> unpins one)', '#ab000000 (not stored here)'])
  })

  it('prints governance events as they come, and none for a checkpoint we agree with', async () => {
    const session = new FakeSession()
    const input = new PassThrough()
    const output = new Collector()
    const done = runUi(session, { input, output, now: () => at(12, 0), interactive: false, forceExit: () => {} })
    await waitFor(() => session.listenerCount > 0, 'listeners')
    session.emit('governance', { type: 'final', lamport: at(11, 59), digest: 'ab', agree: true })
    session.emit('governance', { type: 'banned', peer: ALICE, reason: 'spam', by: BOB, byNick: 'bob', self: true })
    await waitFor(() => output.text.includes('banned'), 'ban line')
    input.end()
    await done
    expect(output.lines()).toEqual(['12:00 -!- you were banned from this room by bob: spam — every peer now refuses your messages'])
  })

  it('in --json: govern, committee, pins and governance objects', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry()]
    session.committeeView = committeeView({ mode: 'none' })
    const output = await run(session, ['/ban bob', '/committee', '/pins', '/pin nobody'], true)
    const objects = output.lines().map(l => JSON.parse(l) as { type: string })
    expect(objects).toEqual([
      { type: 'govern', kind: 'ban', peer: BOB, reason: '' },
      expect.objectContaining({ type: 'committee', mode: 'none' }),
      { type: 'pins', pins: [] },
      { type: 'error', text: 'no message "nobody" among the last 1000 lines: give 4 or more hex characters of its id (/lastlog <text> shows ids), or a nick for its last line', code: 'INVALID_COMMAND' }
    ])
  })
})
