import { afterEach, describe, expect, it } from 'vitest'
import { startPeer, stopAll, type TestPeer } from '../support/sessions.js'
import { waitFor } from '../support/wait.js'
import { freePort } from '../support/cli.js'

let peers: TestPeer[] = []
afterEach(async () => { await stopAll(peers); peers = [] })

describe('the well-known local port', () => {
  it('terminals find each other through it, and keep finding newcomers after the first one quits', async () => {
    const localPort = await freePort()
    const start = async (nick: string): Promise<TestPeer> => {
      const p = await startPeer({ topic: 'anchor', nick, localPort })
      peers.push(p)
      return p
    }
    const first = await start('first')
    const b = await start('b')
    const c = await start('c')
    await waitFor(() => [first, b, c].every(p => p.session.topicPeerCount() === 2), 'three in the room')

    // The first (the port's holder) quits, and a newcomer starts at once: it usually grabs the
    // freed port before b or c retake it. Either way, everyone must end up in one room.
    await first.session.stop()
    peers = peers.filter(p => p !== first)
    const d = await start('d')
    await waitFor(() => [b, c, d].every(p => p.session.topicPeerCount() === 2), 'b, c and the newcomer in one room', 15_000)
    await d.session.send('hello from the newcomer')
    await waitFor(() => [b, c].every(p => p.texts().includes('hello from the newcomer')), 'the newcomer heard')
    expect([b, c].every(p => p.texts().filter(t => t === 'hello from the newcomer').length === 1)).toBe(true)
  })
})
