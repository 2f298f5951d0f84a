import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { runUi } from '../../../src/ui/run.js'
import { ALICE, BOB, Collector, FakeSession, at, chatLine, directLine, rosterEntry, waitFor } from './fake-session.js'

const CAROL = '12D3KooWCaroCaroCaroCaroCaroCaroCaroCaroCaroCaroCar1111'
const BOB2 = '12D3KooWBobTwoBobTwoBobTwoBobTwoBobTwoBobTwoBobTwo9abc'

/** Line mode over `session`, input kept open until `end()`. */
function start (session: FakeSession, json = false): { write: (line: string) => void, end: () => Promise<Collector>, output: Collector } {
  const input = new PassThrough()
  const output = new Collector()
  const done = runUi(session, { input, output, json, now: () => at(12, 0), interactive: false, forceExit: () => { throw new Error('forceExit must not be called') } })
  return {
    write: line => { input.write(line + '\n') },
    end: async () => { input.end(); await done; return output },
    output
  }
}

async function run (session: FakeSession, lines: string[], json = false): Promise<Collector> {
  const ui = start(session, json)
  for (const line of lines) ui.write(line)
  return await ui.end()
}

const sent = (session: FakeSession): unknown[] => session.calls.filter(c => c.method === 'sendDirect').map(c => c.args)

describe('direct messages in line mode', () => {
  it('/msg resolves a nick from the roster and shows the sent line (its passing mark left out)', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry()]
    const output = await run(session, ['/msg Bob are you there?'])
    expect(sent(session)).toEqual([[BOB, 'are you there?', false]])
    expect(output.lines()).toEqual(['12:00 -> *bob* are you there?'])
  })

  it('/msg finds a nick in the stored lines and in the conversations, takes a full peer id as is', async () => {
    const session = new FakeSession()
    session.lines = [chatLine({ from: CAROL, nick: 'carol' })]
    session.conversationList = [{ peer: BOB2, nick: 'dave', last: at(11, 0), pending: 0 }]
    const output = await run(session, ['/msg carol hi', '/msg dave yo', `/msg ${BOB} hey`])
    expect(sent(session)).toEqual([[CAROL, 'hi', false], [BOB2, 'yo', false], [BOB, 'hey', false]])
    expect(output.lines()).toEqual(['12:00 -> *carol* hi', '12:00 -> *dave* yo', '12:00 -> *12D3…5678* hey'])
  })

  it('/msg of a nick two peers use lists them and sends nothing; nick#tag picks one', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry(), rosterEntry({ peerId: BOB2, nick: 'bob' })]
    const output = await run(session, ['/msg bob hi', '/msg bob#9abc hi'])
    expect(output.lines()[0]).toBe('12:00 -!- "bob" is 2 peers: bob#5678 (12D3…5678), bob#9abc (12D3…9abc); name one as nick#tag, or by its full peer id')
    expect(sent(session)).toEqual([[BOB2, 'hi', false]])
  })

  it('refuses an unknown nick and yourself, in one line each', async () => {
    const session = new FakeSession()
    Object.defineProperty(session, 'peerId', { value: CAROL }) // a peer id of the real shape
    session.roster = [rosterEntry({ peerId: CAROL, nick: 'alice', self: true })]
    const output = await run(session, ['/msg zed hi', '/msg alice hi', `/msg ${CAROL} hi`, '/query alice'])
    expect(output.lines()).toEqual([
      '12:00 -!- no peer called "zed" in the roster or the stored lines; give its full peer id',
      '12:00 -!- "alice" is you',
      '12:00 -!- that is your own peer id',
      '12:00 -!- "alice" is you'
    ])
    expect(sent(session)).toEqual([])
  })

  it('/query sends typed lines and /me to the peer, shows the conversation, and /back returns to the room', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry()]
    session.directLines = [directLine({ sentAt: at(11, 0), receivedAt: at(11, 0), text: 'ping' })]
    const output = await run(session, ['/query bob', 'hello', '/me waves', '//slash', '/back', 'to the room', '/back'])
    expect(sent(session)).toEqual([[BOB, 'hello', false], [BOB, 'waves', true], [BOB, '/slash', false]])
    expect(session.calls.filter(c => c.method === 'send').map(c => c.args)).toEqual([['to the room']])
    expect(output.lines()).toEqual([
      '12:00 -!- talking to bob (12D3…5678): your lines go to them only, as direct messages; /back returns to room x',
      '11:00 ~ *bob* ping',
      '12:00 -> *bob* hello',
      '12:00 -> *bob* * alice waves',
      '12:00 -> *bob* /slash',
      '12:00 -!- back in room x: your lines go to the room',
      '12:00 -!- already in room x'
    ])
  })

  it('/join and /leave close the query', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry()]
    await run(session, ['/query bob', '/join y', 'in y', '/query bob', '/leave', 'in x'])
    expect(session.calls.filter(c => c.method === 'send').map(c => c.args)).toEqual([['in y'], ['in x']])
    expect(sent(session)).toEqual([])
  })

  it('/dms lists the conversations, naming peers the session knows no nick for', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry()]
    session.conversationList = [{ peer: BOB, last: at(11, 58), pending: 1 }, { peer: CAROL, nick: 'carol', last: at(9, 0), pending: 0 }]
    const output = await run(session, ['/dms'])
    expect(output.lines()).toEqual([
      '12:00 -!- direct conversations: 2 (/query <nick> opens one)',
      'bob (12D3…5678)    11:58  1 pending',
      'carol (12D3…1111)  09:00'
    ])
  })

  it('/ignore hides room lines and direct messages of the peer; /unignore shows them again', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry(), rosterEntry({ peerId: CAROL, nick: 'carol' })]
    const ui = start(session)
    ui.write('/ignore bob')
    await waitFor(() => ui.output.text.includes('ignoring bob'), 'ignore')
    session.emit('message', chatLine({ text: 'room line from bob' }))
    session.emit('dm', directLine({ text: 'dm from bob' }))
    session.emit('message', chatLine({ from: CAROL, nick: 'carol', text: 'carol is shown' }))
    ui.write('/ignore')
    ui.write('/ignore bob')
    ui.write('/unignore bob')
    ui.write('/unignore bob')
    await waitFor(() => ui.output.text.includes('was not ignored'), 'unignore')
    session.emit('dm', directLine({ text: 'bob again' }))
    const output = await ui.end()
    expect(session.ignoredPeers).toEqual([])
    expect(output.lines()).toEqual([
      '12:00 -!- ignoring bob (12D3…5678): their room lines and direct messages are hidden',
      '09:05 <carol> carol is shown',
      '12:00 -!- ignoring 1 peer: bob (12D3…5678) (/unignore <nick|peer id> shows one again)',
      '12:00 -!- already ignoring bob (12D3…5678)',
      '12:00 -!- no longer ignoring bob (12D3…5678)',
      '12:00 -!- bob (12D3…5678) was not ignored',
      '09:05 *bob* bob again'
    ])
  })

  it('/unignore finds an ignored peer by the nick it had, even when it is gone', async () => {
    const session = new FakeSession()
    session.ignoredPeers = [CAROL]
    session.conversationList = [{ peer: CAROL, nick: 'eve', last: at(9, 0), pending: 0 }]
    const output = await run(session, ['/unignore eve'])
    expect(session.calls.filter(c => c.method === 'unignore').map(c => c.args)).toEqual([[CAROL]])
    expect(output.lines()).toEqual(['12:00 -!- no longer ignoring eve (12D3…1111)'])
  })

  it('an expired message prints a red line naming the recipient; a delivered one prints nothing', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry()]
    const ui = start(session)
    ui.write('/msg bob one')
    ui.write('/msg bob two')
    await waitFor(() => ui.output.text.includes('two'), 'sent')
    session.emit('dm:state', { id: 'd1', peer: BOB, state: 'delivered' })
    session.emit('dm:state', { id: 'd2', peer: BOB, state: 'expired' })
    const output = await ui.end()
    expect(output.lines()).toEqual([
      '12:00 -> *bob* one',
      '12:00 -> *bob* two',
      '12:00 -!- ✗ not delivered to bob (12D3…5678), gave up: "two"'
    ])
  })
})

describe('direct messages with --json', () => {
  it('dm and dm-state objects; /dms and /ignore answer with one object each; ignored peers stay hidden', async () => {
    const session = new FakeSession()
    session.roster = [rosterEntry()]
    session.conversationList = [{ peer: BOB, nick: 'bob', last: 5, pending: 1 }]
    const ui = start(session, true)
    ui.write('/msg bob hi')
    ui.write('/dms')
    ui.write('/ignore bob')
    await waitFor(() => ui.output.lines().length === 3, 'three objects')
    session.emit('dm:state', { id: 'd1', peer: BOB, state: 'delivered' })
    session.emit('dm', directLine({ text: 'hidden' }))
    session.emit('message', chatLine({ text: 'hidden too' }))
    ui.write('/ignore')
    const objects = (await ui.end()).lines().map(l => JSON.parse(l) as Record<string, unknown>)
    expect(objects).toEqual([
      { type: 'dm', id: 'd1', from: ALICE, to: BOB, peer: BOB, nick: 'alice', text: 'hi', action: false, sentAt: at(12, 0), receivedAt: at(12, 0), time: new Date(at(12, 0)).toISOString(), own: true, state: 'pending' },
      { type: 'dms', conversations: [{ peer: BOB, nick: 'bob', last: 5, pending: 1 }] },
      { type: 'ignored', peers: [{ peer: BOB, nick: 'bob' }] },
      { type: 'dm-state', id: 'd1', peer: BOB, state: 'delivered' },
      { type: 'ignored', peers: [{ peer: BOB, nick: 'bob' }] }
    ])
  })
})
