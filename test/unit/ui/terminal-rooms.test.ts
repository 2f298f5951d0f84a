import { describe, expect, it } from 'vitest'
import { runUi } from '../../../src/ui/run.js'
import { Collector, FakeSession, FakeTtyInput, at, waitFor } from './fake-session.js'

const PROMPT = '[x · 1 peer] alice> '

function start (session = new FakeSession()): { session: FakeSession, input: FakeTtyInput, output: Collector, done: ReturnType<typeof runUi> } {
  const input = new FakeTtyInput()
  const output = new Collector(true)
  const done = runUi(session, { input, output, color: false, now: () => at(12, 0), forceExit: () => {} })
  return { session, input, output, done }
}

function count (text: string, part: string): number {
  return text.split(part).length - 1
}

describe('interactive terminal: rooms', () => {
  it('a room:change event refreshes the prompt, keeping the half-typed input', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    input.write('hal')
    await waitFor(() => output.text.endsWith('hal'), 'echo')
    session.topic = 'general'
    session.emit('room:change', { name: 'general', previous: 'x' })
    await waitFor(() => output.text.includes('[general · 1 peer] alice> hal'), 'prompt with the new room')
    expect(output.text).toContain('12:00 -!- now in room general (left x)\n')
    input.write('\x03') // clears the half-typed line
    input.write('\x04')
    await done
  })

  it('/join shows exactly one line and the new room in the prompt', async () => {
    const { session, input, output, done } = start()
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    input.write('/join general\r')
    await waitFor(() => output.text.includes('[general · 1 peer] alice> '), 'new prompt')
    await waitFor(() => session.methods().includes('join'), 'join')
    input.write('/leave\r')
    await waitFor(() => output.text.includes('now in room x (left general)'), 'back')
    input.write('\x04')
    await done
    expect(count(output.text, '-!- ')).toBe(2)
    expect(count(output.text, 'now in room general (left x)')).toBe(1)
  })

  it('Tab completes a room name after /join', async () => {
    const session = new FakeSession()
    session.registryRooms = [{ name: 'general', desc: '', rendezvous: 'p2pchat/general', trustedPeers: [], joined: false }]
    const { input, output, done } = start(session)
    await waitFor(() => output.text.includes(PROMPT), 'prompt')
    input.write('/join gen\t')
    await waitFor(() => output.text.includes('/join general'), 'completed room')
    input.write('\r')
    await waitFor(() => session.calls.some(c => c.method === 'join'), 'join')
    expect(session.calls.find(c => c.method === 'join')).toEqual({ method: 'join', args: ['general'] })
    input.write('\x04')
    await done
  })
})
