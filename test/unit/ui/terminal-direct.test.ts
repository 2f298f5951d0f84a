import { describe, expect, it } from 'vitest'
import { runUi } from '../../../src/ui/run.js'
import { BOB, Collector, FakeSession, FakeTtyInput, at, directLine, rosterEntry, waitFor } from './fake-session.js'

const PROMPT = '[x · 1 peer] alice> '
const QUERY_PROMPT = '[dm bob] alice> '

function start (): { session: FakeSession, input: FakeTtyInput, output: Collector, done: ReturnType<typeof runUi> } {
  const session = new FakeSession()
  session.roster = [rosterEntry()]
  const input = new FakeTtyInput()
  const output = new Collector(true)
  const done = runUi(session, { input, output, color: false, now: () => at(12, 0), forceExit: () => {} })
  return { session, input, output, done }
}

/** Everything written from now on. */
function since (output: Collector): () => string {
  const from = output.text.length
  return () => output.text.slice(from)
}

describe('interactive terminal: direct messages', () => {
  it('/query shows the conversation in the prompt until /back', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    input.write('/query bob\r')
    await waitFor(() => output.text.includes(QUERY_PROMPT), 'query prompt')
    input.write('hi\r')
    await waitFor(() => output.text.includes('12:00 -> *bob* hi …\n'), 'sent line')
    expect(session.calls.filter(c => c.method === 'sendDirect').map(c => c.args)).toEqual([[BOB, 'hi', false]])
    const back = since(output)
    input.write('/back\r')
    await waitFor(() => back().includes('back in room x') && back().includes(PROMPT), 'room prompt')
    expect(back().lastIndexOf(PROMPT)).toBeGreaterThan(back().lastIndexOf(QUERY_PROMPT))
    input.write('\x04')
    await done
  })

  it('rewrites the mark of an own direct message in place when it is delivered', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    input.write('/msg bob hello\r')
    await waitFor(() => output.text.includes('12:00 -> *bob* hello …\n'), 'pending line')
    // A room line's state change with the same id is not taken for the direct message.
    const before = since(output)
    session.emit('message:state', { id: 'd1', state: 'sent' })
    for (let i = 0; i < 5; i++) await new Promise(resolve => setImmediate(resolve))
    expect(before()).not.toContain('\x1b7')
    const after = since(output)
    session.emit('dm:state', { id: 'd1', peer: BOB, state: 'delivered' })
    await waitFor(() => after().includes('✓'), 'rewrite')
    // Up one row (the line is just above the prompt), clear it, write it with the tick, come back.
    expect(after()).toContain('\x1b7\x1b[1A\r\x1b[2K12:00 -> *bob* hello ✓\x1b8')
    input.write('\x04')
    await done
  })

  it('rings the bell for an incoming direct message', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    session.emit('dm', directLine({ sentAt: at(11, 59), receivedAt: at(11, 59) }))
    await waitFor(() => output.chunks.some(c => c.includes('11:59 *bob* psst\n\x07')), 'line and bell')
    input.write('\x04')
    await done
  })
})
