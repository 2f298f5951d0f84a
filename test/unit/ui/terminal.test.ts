import { describe, expect, it } from 'vitest'
import { runUi } from '../../../src/ui/run.js'
import { BOB, Collector, FakeSession, FakeTtyInput, at, chatLine, waitFor } from './fake-session.js'

const PROMPT = '[x · 1 peer] alice> '

function start (session = new FakeSession(), extra: { forceExit?: (code: number) => void, forceExitWindowMs?: number } = {}): {
  session: FakeSession, input: FakeTtyInput, output: Collector, done: ReturnType<typeof runUi>, exits: number[]
} {
  const input = new FakeTtyInput()
  const output = new Collector(true)
  const exits: number[] = []
  const done = runUi(session, {
    input,
    output,
    color: false,
    now: () => at(12, 0),
    forceExit: extra.forceExit ?? (code => { exits.push(code) }),
    forceExitWindowMs: extra.forceExitWindowMs ?? 2000
  })
  return { session, input, output, done, exits }
}

describe('interactive terminal', () => {
  it('is chosen when both streams are TTYs, and shows a prompt carrying state', async () => {
    const { input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    expect(input.isRaw).toBe(true)
    input.write('\x04') // Ctrl-D
    expect(await done).toEqual({ reason: 'quit' })
    expect(input.isRaw).toBe(false)
  })

  it('prints an incoming line above the prompt and keeps the half-typed input', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    input.write('hel')
    await waitFor(() => output.text.endsWith('hel'), 'echo of typed text')
    const before = output.text.length
    session.emit('message', chatLine({ receivedAt: at(9, 41), text: 'hi alice' }))
    session.emit('message', chatLine({ receivedAt: at(9, 42), text: 'you there?' }))
    await waitFor(() => output.text.slice(before).includes(`you there?\n`) && output.text.slice(before).includes(`${PROMPT}hel`), 'repaint')
    const repaint = output.text.slice(before)
    // Cleared the line, wrote both lines in one batch, then re-prompted with the half-typed text.
    expect(repaint).toContain('\x1b[2K')
    expect(output.chunks).toContain('09:41 <bob> hi alice\n09:42 <bob> you there?\n\x07') // one write for the burst (its bell: it names alice)
    const burst = repaint.indexOf('09:41 <bob> hi alice\n09:42 <bob> you there?\n')
    expect(burst).toBeGreaterThan(repaint.indexOf('\x1b[2K'))
    expect(repaint.indexOf(`${PROMPT}hel`, burst)).toBeGreaterThan(burst)
    // The half-typed text is still the input: finishing it sends the whole line.
    input.write('lo\r')
    await waitFor(() => session.calls.length > 0, 'send')
    expect(session.calls).toEqual([{ method: 'send', args: ['hello'] }])
    input.write('/quit\r')
    expect(await done).toEqual({ reason: 'quit' })
  })

  it('refreshes the prompt when peers join or leave and when the nick changes', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    session.topicPeers = 4
    session.emit('peer:join', { peerId: BOB, nick: 'bob' })
    await waitFor(() => output.text.includes('[x · 4 peers] alice> '), 'peer count in prompt')
    expect(output.text).toContain('12:00 -!- bob (12D3…5678) joined\n')
    input.write('/nick zed\r')
    await waitFor(() => output.text.includes('[x · 4 peers] zed> '), 'nick in prompt')
    input.write('\x04')
    await done
  })

  it('Ctrl-C on a non-empty line clears it; Ctrl-C on an empty line quits with sigint', async () => {
    const { session, input, output, done, exits } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    input.write('draft')
    input.write('\x03')
    input.write('\r')
    input.write('kept\r')
    await waitFor(() => session.calls.length > 0, 'send')
    expect(session.calls).toEqual([{ method: 'send', args: ['kept'] }])
    input.write('\x03')
    expect(await done).toEqual({ reason: 'sigint' })
    expect(output.text).toContain('12:00 -!- quitting (Ctrl-C again to force)')
    expect(exits).toEqual([])
    expect(session.listenerCount).toBe(0)
    input.write('\x03') // a second Ctrl-C while quitting forces exit 130
    await waitFor(() => exits.length > 0, 'forceExit')
    expect(exits).toEqual([130])
    expect(input.isRaw).toBe(false)
  })

  it('closes the terminal once the force window passes without a second Ctrl-C', async () => {
    const { input, output, done, exits } = start(undefined, { forceExitWindowMs: 0 })
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    input.write('\x03')
    expect(await done).toEqual({ reason: 'sigint' })
    await waitFor(() => !input.isRaw, 'raw mode off')
    input.write('\x03')
    expect(exits).toEqual([])
  })

  it('completes commands and nicks with Tab', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    input.write('/pe\t')
    await waitFor(() => output.text.includes('/peers'), 'completed command')
    input.write('\r')
    await waitFor(() => session.methods().includes('peers'), '/peers via completion')
    input.write('bo\t')
    await waitFor(() => output.text.includes('bob: '), 'completed nick')
    input.write('how are you\r')
    await waitFor(() => session.methods().includes('send'), 'send')
    expect(session.calls.at(-1)).toEqual({ method: 'send', args: ['bob: how are you'] })
    input.write('\x04')
    await done
  })

  it('prints command errors and keeps running', async () => {
    const { session, input, output, done } = start()
    session.connectImpl = async () => { throw new Error('dial failed: connection refused') }
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    input.write('/connect /ip4/127.0.0.1/tcp/1\r')
    await waitFor(() => output.text.includes('dial failed'), 'error line')
    expect(output.text).toContain('12:00 -!- dial failed: connection refused\n')
    input.write('/peer\r')
    await waitFor(() => output.text.includes('did you mean /peers?'), 'hint')
    input.write('/quit\r')
    expect(await done).toEqual({ reason: 'quit' })
    expect(session.listenerCount).toBe(0)
  })

  it('an aborted signal makes it return quit', async () => {
    const session = new FakeSession()
    const controller = new AbortController()
    const input = new FakeTtyInput()
    const done = runUi(session, { input, output: new Collector(true), signal: controller.signal })
    controller.abort()
    expect(await done).toEqual({ reason: 'quit' })
    expect(input.isRaw).toBe(false)
  })

  it('PageUp prints the stored history a page further back each time, PageDown a page nearer', async () => {
    const session = new FakeSession()
    session.lines = Array.from({ length: 50 }, (_, i) => chatLine({ id: `m${i}`, receivedAt: at(9, 0), text: `line ${i}` }))
    const { input, output, done } = start(session)
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    input.write('\x1b[5~')
    await waitFor(() => output.text.includes('history: last 20 messages (older: /history 20 20)'), 'first page')
    input.write('\x1b[5~')
    await waitFor(() => output.text.includes('history: 20 messages ending 20 back (older: /history 20 40)'), 'second page')
    expect(output.text).toContain('~ <bob> line 10\n')
    input.write('\x1b[6~')
    await waitFor(() => output.text.split('history: last 20 messages').length === 3, 'back to the newest page')
    input.write('\x04')
    await done
  })
})
