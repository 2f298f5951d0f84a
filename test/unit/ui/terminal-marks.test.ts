import { describe, expect, it } from 'vitest'
import { runUi } from '../../../src/ui/run.js'
import { ALICE, Collector, FakeSession, FakeTtyInput, at, chatLine, waitFor } from './fake-session.js'
import { FakeScreen } from './fake-screen.js'
import type { ChatLine } from '../../../src/session/types.js'

const PROMPT = '[x · 1 peer] alice> '
// eslint-disable-next-line no-control-regex
const CURSOR_UP = /\x1b\[\d*A/

function start (size: { columns?: number, rows?: number } = {}): {
  session: FakeSession, input: FakeTtyInput, output: Collector, done: ReturnType<typeof runUi>
} {
  const session = new FakeSession()
  const input = new FakeTtyInput()
  const output = new Collector(true)
  output.columns = size.columns ?? 80
  output.rows = size.rows ?? 24
  const done = runUi(session, { input, output, color: false, now: () => at(12, 0), forceExit: () => {} })
  return { session, input, output, done }
}

const mine = (over: Partial<ChatLine> = {}): ChatLine =>
  chatLine({ id: 'm1', from: ALICE, nick: 'alice', own: true, state: 'pending', receivedAt: at(9, 41), text: 'hello', ...over })

/** Everything written from now on. */
function since (output: Collector): () => string {
  const from = output.text.length
  return () => output.text.slice(from)
}

describe('interactive terminal: own line marks', () => {
  it('rewrites an own line in place when it is confirmed, keeping the half-typed input', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    session.emit('message', mine())
    await waitFor(() => output.text.includes('09:41 <alice> hello …\n'), 'pending line')
    input.write('dra')
    await waitFor(() => output.text.endsWith('dra'), 'echo of typed text')
    const after = since(output)
    session.emit('message:state', { id: 'm1', state: 'confirmed' })
    await waitFor(() => after().includes('✓') && after().includes(`${PROMPT}dra`), 'rewrite and prompt')
    // Up one row (the line is just above the prompt), clear it, write it with the tick, come back.
    expect(after()).toContain('\x1b7\x1b[1A\r\x1b[2K09:41 <alice> hello ✓\x1b8')
    expect(after().indexOf(`${PROMPT}dra`)).toBeGreaterThan(after().indexOf('✓'))
    input.write('ft\r')
    await waitFor(() => session.calls.length > 0, 'send')
    expect(session.calls).toEqual([{ method: 'send', args: ['draft'] }])
    input.write('\x04')
    await done
  })

  it('counts the rows written below the line, and batches a burst of changes into one write', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    session.emit('message', mine({ id: 'm1', text: 'one' }))
    session.emit('message', chatLine({ receivedAt: at(9, 42), text: 'between' }))
    session.emit('message', mine({ id: 'm2', text: 'two' }))
    await waitFor(() => output.text.includes('09:41 <alice> two …\n'), 'lines')
    input.write('/id\r') // the echo of a command stays on screen: one more row
    await waitFor(() => output.text.includes('peer id'), '/id output')
    // Rows below m2: the echo, `peer id …`, and `address  /ip4/…/p2p/<52-char id>` (89 columns: 2 rows).
    const below2 = 1 + 1 + 2
    const after = since(output)
    session.emit('message:state', { id: 'm1', state: 'sent' })
    session.emit('message:state', { id: 'm2', state: 'sent' })
    session.emit('message:state', { id: 'm2', state: 'confirmed' })
    await waitFor(() => after().includes(PROMPT), 'repaint')
    const rewrites = `\x1b7\x1b[${below2 + 3}A\r\x1b[2K09:41 <alice> one ·\x1b8\x1b7\x1b[${below2 + 1}A\r\x1b[2K09:41 <alice> two ✓\x1b8`
    expect(output.chunks).toContain(rewrites)
    input.write('\x04')
    await done
  })

  it('does not move the cursor for a line that has scrolled off', async () => {
    const { session, input, output, done } = start({ rows: 5 })
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    session.emit('message', mine())
    for (let i = 0; i < 3; i++) session.emit('message', chatLine({ receivedAt: at(9, 42), text: `line ${i}` }))
    await waitFor(() => output.text.includes('line 2\n'), 'lines')
    let after = since(output)
    session.emit('message:state', { id: 'm1', state: 'sent' }) // 3 rows below + 1 < 5: still on screen
    await waitFor(() => after().includes(PROMPT), 'repaint')
    expect(after()).toContain('\x1b[4A\r\x1b[2K09:41 <alice> hello ·')
    session.emit('message', chatLine({ receivedAt: at(9, 43), text: 'line 3' }))
    await waitFor(() => output.text.includes('line 3\n'), 'one more line')
    after = since(output)
    session.emit('message:state', { id: 'm1', state: 'confirmed' }) // 4 rows below + 1: gone
    session.emit('notice', { level: 'info', text: 'repainted' })
    await waitFor(() => after().includes('repainted') && after().includes(PROMPT), 'repaint')
    expect(after()).not.toMatch(CURSOR_UP)
    expect(after()).not.toContain('✓')
    input.write('\x04')
    await done
  })

  it('counts a wrapped own line as several rows', async () => {
    const { session, input, output, done } = start({ columns: 20, rows: 5 })
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    session.emit('message', mine({ text: 'a'.repeat(30) })) // 14 + 30 + 2 columns: 3 rows
    await waitFor(() => output.text.includes(' …\n'), 'wrapped line')
    let after = since(output)
    session.emit('message:state', { id: 'm1', state: 'sent' })
    await waitFor(() => after().includes('·'), 'rewrite')
    // Too narrow for the hanging indent (14 of 20 columns): word-wrapped from the left edge.
    expect(after()).toContain(`\x1b7\x1b[3A\r\x1b[2K\x1b[1B\x1b[2K\x1b[1B\x1b[2K\x1b[2A09:41 <alice>\n${'a'.repeat(20)}\n${'a'.repeat(10)} ·\x1b8`)
    session.emit('message', chatLine({ receivedAt: at(9, 42), text: 'x' }))
    session.emit('message', chatLine({ receivedAt: at(9, 42), text: 'y' })) // 2 + 3 rows: its top row is off a 5-row screen
    await waitFor(() => output.text.includes('> y\n'), 'two more lines')
    after = since(output)
    session.emit('message:state', { id: 'm1', state: 'confirmed' })
    session.emit('notice', { level: 'info', text: 'repainted' })
    await waitFor(() => after().includes('repainted') && after().includes(PROMPT), 'repaint')
    expect(after()).not.toContain('\x1b7') // (the prompt fills its 20 columns, so clearing it moves up a row)
    input.write('\x04')
    await done
  })

  it('writes a line whose state changes before it is shown with its latest mark, once', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    const after = since(output)
    session.emit('message', mine())
    session.emit('message:state', { id: 'm1', state: 'sent' })
    session.emit('message:state', { id: 'm1', state: 'not-confirmed' })
    await waitFor(() => after().includes('not confirmed by any peer'), 'red line')
    expect(after()).toContain('09:41 <alice> hello ✗\n12:00 -!- ✗ not confirmed by any peer: "hello"\n')
    expect(after()).not.toMatch(CURSOR_UP)
    input.write('\x04')
    await done
  })

  it('prints the "not confirmed" line as well as rewriting the mark', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    session.emit('message', mine())
    await waitFor(() => output.text.includes('hello …\n'), 'pending line')
    const after = since(output)
    session.emit('message:state', { id: 'm1', state: 'not-confirmed' })
    await waitFor(() => after().includes('not confirmed by any peer'), 'red line')
    expect(after()).toContain('\x1b7\x1b[1A\r\x1b[2K09:41 <alice> hello ✗\x1b8')
    expect(after()).toContain('12:00 -!- ✗ not confirmed by any peer: "hello"\n')
    input.write('\x04')
    await done
  })

  it('tracks the line of a message typed and sent, whose echo was erased', async () => {
    const { session, input, output, done } = start()
    session.sendImpl = async text => { session.emit('message', mine({ text })) }
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    input.write('hi there\r')
    await waitFor(() => output.text.includes('09:41 <alice> hi there …\n'), 'own line')
    const after = since(output)
    session.emit('message:state', { id: 'm1', state: 'confirmed' })
    await waitFor(() => after().includes('✓'), 'rewrite')
    expect(after()).toContain('\x1b7\x1b[1A\r\x1b[2K09:41 <alice> hi there ✓\x1b8')
    input.write('\x04')
    await done
  })

  it('forgets positions after /clear', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    session.emit('message', mine())
    await waitFor(() => output.text.includes('hello …\n'), 'pending line')
    input.write('/clear\r')
    await waitFor(() => output.text.includes('\x1b[1;1H') && output.text.slice(output.text.lastIndexOf('\x1b[1;1H')).includes(PROMPT), 'cleared, prompt again')
    const after = since(output)
    session.emit('message:state', { id: 'm1', state: 'confirmed' })
    session.emit('notice', { level: 'info', text: 'repainted' })
    await waitFor(() => after().includes('repainted'), 'repaint')
    expect(after()).not.toMatch(CURSOR_UP)
    input.write('\x04')
    await done
  })
})

describe('interactive terminal: own line marks on an emulated screen', () => {
  const screenOf = (output: Collector): string[] => {
    const screen = new FakeScreen(output.columns, output.rows)
    screen.feed(output.text)
    return screen.lines()
  }

  it('updates marks where the lines are, through scrolling, sends and half-typed input, and leaves other rows alone', async () => {
    const { session, input, output, done } = start({ columns: 40, rows: 6 })
    let n = 0
    session.sendImpl = async text => { session.emit('message', mine({ id: `m${++n}`, text })) }
    const bob = (text: string): void => { session.emit('message', chatLine({ receivedAt: at(9, 40), text })) }
    const settle = async (what: string, check: (screen: string[]) => boolean): Promise<void> => {
      await waitFor(() => check(screenOf(output)), what)
    }
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    bob('one')
    bob('two')
    input.write('hello\r')
    await settle('own line', s => s.includes('09:41 <alice> hello …'))
    bob('three')
    input.write('ab')
    session.emit('message:state', { id: 'm1', state: 'confirmed' })
    await settle('tick', s => s.includes('09:41 <alice> hello ✓'))
    expect(screenOf(output)).toEqual([
      '09:40 <bob> one',
      '09:40 <bob> two',
      '09:41 <alice> hello ✓',
      '09:40 <bob> three',
      `${PROMPT}ab`,
      ''
    ])
    // Fill the screen and send from the bottom row (Enter scrolls, the echo is erased).
    input.write('\x15') // Ctrl-U: drop the half-typed text
    bob('four')
    bob('five')
    await settle('full screen', s => s[4] === '09:40 <bob> five')
    input.write('second\r')
    await settle('second own line', s => s.includes('09:41 <alice> second …'))
    input.write('x')
    session.emit('message:state', { id: 'm2', state: 'sent' })
    await settle('sent mark', s => s.includes('09:41 <alice> second ·'))
    expect(screenOf(output)).toEqual([
      '09:41 <alice> hello ✓',
      '09:40 <bob> three',
      '09:40 <bob> four',
      '09:40 <bob> five',
      '09:41 <alice> second ·',
      `${PROMPT}x`
    ])
    // The line on the top row is still rewritten; one row further up it is not.
    bob('six')
    bob('seven')
    bob('eight')
    bob('nine')
    await settle('scrolled', s => s[4] === '09:40 <bob> nine')
    session.emit('message:state', { id: 'm2', state: 'confirmed' })
    await settle('tick on the top row', s => s[0] === '09:41 <alice> second ✓')
    expect(screenOf(output).slice(1)).toEqual(['09:40 <bob> six', '09:40 <bob> seven', '09:40 <bob> eight', '09:40 <bob> nine', `${PROMPT}x`])
    input.write('\x15third\r')
    await settle('third own line', s => s[4] === '09:41 <alice> third …')
    for (const t of ['a', 'b', 'c', 'd', 'e']) bob(t)
    await settle('third scrolled off', s => s[4] === '09:40 <bob> e')
    const before = screenOf(output)
    const after = since(output)
    session.emit('message:state', { id: 'm3', state: 'confirmed' })
    session.emit('notice', { level: 'info', text: 'ok' })
    await settle('notice', s => s[4] === '12:00 -!- ok')
    expect(after()).not.toContain('\x1b7')
    expect(screenOf(output).slice(0, 4)).toEqual(before.slice(1, 5))
    input.write('\x04')
    await done
  })

  it('does not write over another line when Enter on the bottom row scrolled the own line off', async () => {
    const { session, input, output, done } = start({ columns: 40, rows: 5 })
    session.sendImpl = async text => {
      session.emit('message', mine({ id: 'm2', text }))
      session.emit('message:state', { id: 'm1', state: 'confirmed' }) // lands in the same repaint
    }
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    session.emit('message', mine({ id: 'm1', text: 'first' }))
    for (const t of ['b1', 'b2', 'b3']) session.emit('message', chatLine({ receivedAt: at(9, 40), text: t }))
    await waitFor(() => screenOf(output)[3] === '09:40 <bob> b3', 'full screen')
    expect(screenOf(output)[0]).toBe('09:41 <alice> first …')
    input.write('next\r')
    await waitFor(() => screenOf(output)[3] === '09:41 <alice> next …', 'own line')
    expect(screenOf(output)).toEqual(['09:40 <bob> b1', '09:40 <bob> b2', '09:40 <bob> b3', '09:41 <alice> next …', PROMPT.trimEnd()])
    input.write('\x04')
    await done
  })

  it('on a resize redraws the recent lines wrapped to the new width, and keeps updating a wrapped own line', async () => {
    const { session, input, output, done } = start({ columns: 60, rows: 10 })
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    session.emit('message', mine({ text: 'the quick brown fox jumps over the lazy dog' }))
    await waitFor(() => output.text.includes('lazy dog …\n'), 'one-row line at 60 columns')
    let after = since(output)
    output.columns = 30
    output.emit('resize')
    // Cleared and redrawn: the own line now takes three rows, continuation rows under its text.
    await waitFor(() => after().includes('\x1b[H\x1b[2J') && after().includes(PROMPT), 'redraw')
    expect(after()).toContain('09:41 <alice> the quick brown\n              fox jumps over\n              the lazy dog …\n')
    after = since(output)
    session.emit('message:state', { id: 'm1', state: 'confirmed' })
    await waitFor(() => after().includes('✓'), 'rewrite')
    expect(after()).toContain('\x1b7\x1b[3A\r\x1b[2K\x1b[1B\x1b[2K\x1b[1B\x1b[2K\x1b[2A09:41 <alice> the quick brown\n              fox jumps over\n              the lazy dog ✓\x1b8')
    input.write('\x04')
    await done
  })

  it('updates the mark of a line holding a ZWJ emoji sequence, and of own lines above it', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    session.emit('message', mine({ id: 'm1', text: 'above' }))
    session.emit('message', mine({ id: 'm2', text: 'family 👨\u200d👩\u200d👧 here' }))
    await waitFor(() => output.text.includes('family 👨\u200d👩\u200d👧 here …\n'), 'lines')
    const after = since(output)
    session.emit('message:state', { id: 'm2', state: 'confirmed' })
    session.emit('message:state', { id: 'm1', state: 'confirmed' })
    await waitFor(() => after().split('✓').length === 3, 'both rewritten')
    expect(after()).toContain('\x1b7\x1b[1A\r\x1b[2K09:41 <alice> family 👨\u200d👩\u200d👧 here ✓\x1b8')
    expect(after()).toContain('\x1b7\x1b[2A\r\x1b[2K09:41 <alice> above ✓\x1b8')
    input.write('\x04')
    await done
  })
})
