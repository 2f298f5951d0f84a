import { afterEach, describe, expect, it } from 'vitest'
import { startPeer, stopAll, type TestPeer } from '../support/sessions.js'
import { waitFor } from '../support/wait.js'

let peers: TestPeer[] = []
afterEach(async () => { await stopAll(peers); peers = [] })

const PERIOD_MS = 2000

describe('presence on live nodes', () => {
  it('eight nodes in a line (no rendezvous): every roster holds all eight nicks; a nick change propagates; a clean quit leaves at once', async () => {
    for (let i = 0; i < 8; i++) {
      peers.push(await startPeer({
        topic: 'roster-line',
        nick: `node${i}`,
        bootstrap: i === 0 ? [] : [peers[i - 1].addr],
        room: { rendezvous: false, presence: { basePeriodMs: PERIOD_MS } }
      }))
    }
    // Enforce the line: each node refuses every peer but its two neighbours (the DHT would
    // otherwise dial its way to a full mesh).
    for (const [i, p] of peers.entries()) {
      await p.session.isolateFrom(peers.filter((_, j) => Math.abs(i - j) > 1).map(q => q.session.peerId))
    }
    const nicks = (p: TestPeer): string[] => p.session.who().map(e => e.nick).sort()
    const all = Array.from({ length: 8 }, (_, i) => `node${i}`).sort()
    await waitFor(() => peers.every(p => nicks(p).join() === all.join()), 'all rosters full', 20_000)

    // Most pairs are not directly connected: a line has 7 links of the 28 possible.
    const links = peers.reduce((n, p) => n + new Set(p.session.node.getConnections().map(c => c.remotePeer.toString())).size, 0) / 2
    expect(links).toBeLessThanOrEqual(7)
    const first = peers[0]
    const last = peers[7]
    expect(last.session.who().find(e => e.peerId === first.session.peerId)?.direct).toBe(false)

    first.session.setNick('renamed')
    await waitFor(() => last.session.who().some(e => e.peerId === first.session.peerId && e.nick === 'renamed'), 'the new nick at the far end')

    first.session.setStatusText('at lunch')
    await waitFor(() => last.session.who().some(e => e.peerId === first.session.peerId && e.status === 'at lunch'), 'the status at the far end')

    const quitter = peers[3]
    const quitterId = quitter.session.peerId
    await quitter.session.stop()
    await waitFor(() => [peers[2], peers[4]].every(p => !p.session.who().some(e => e.peerId === quitterId)),
      'the clean quit leaving its neighbours rosters', PERIOD_MS)
  })

  it('a room switch is a clean leave even when the leave record is lost: the others drop the peer at once', async () => {
    let losing = false
    const lossy = { inboundFaults: () => ({ drop: losing }) }
    for (let i = 0; i < 3; i++) {
      peers.push(await startPeer({
        topic: 'switch-from', nick: `s${i}`, bootstrap: i === 0 ? [] : [peers[0].addr],
        room: { rendezvous: false, ...(i > 0 ? lossy : {}) }
      }))
    }
    const [mover, ...stay] = peers
    await waitFor(() => peers.every(p => p.session.who().length === 3), 'rosters of 3', 20_000)
    const left: Array<{ peerId: string }> = []
    stay[0].session.addEventListener('roster:change', evt => { left.push(...evt.detail.left) })
    losing = true // every topic message to the others is now lost, the presence leave record too
    await mover.session.join('switch-to')
    // Presence would expire the mover only after 3 announce periods (90 s); the unsubscribe says it now.
    await waitFor(() => stay.every(p => p.session.who().length === 2), 'the mover gone from both rosters', 10_000)
    expect(left.map(e => e.peerId)).toEqual([mover.session.peerId])
    expect(stay[0].session.status().dropped['injected-loss']).toBeGreaterThan(0)
  })

  it('away and the status text go with you to another room and back, as the others see them', async () => {
    for (let i = 0; i < 2; i++) {
      peers.push(await startPeer({ topic: 'carry', nick: `c${i}`, bootstrap: i === 0 ? [] : [peers[0].addr], room: { rendezvous: false } }))
    }
    const [walker, watcher] = peers
    await waitFor(() => peers.every(p => p.session.who().length === 2), 'rosters of 2', 20_000)
    walker.session.setStatusText('at lunch')
    walker.session.setAway(true)
    await walker.session.join('elsewhere')
    expect(walker.session.who().find(e => e.self)).toMatchObject({ away: true, status: 'at lunch' })
    await walker.session.leave()
    expect(walker.session.who().find(e => e.self)).toMatchObject({ away: true, status: 'at lunch' })
    await waitFor(() => watcher.session.who().some(e => e.peerId === walker.session.peerId && e.away && e.status === 'at lunch'), 'the watcher seeing it after the return', 20_000)
  })

  it('/census estimates a small room exactly (p = 1) and agrees with the roster', async () => {
    for (let i = 0; i < 5; i++) {
      peers.push(await startPeer({
        topic: 'census', nick: `c${i}`, bootstrap: i === 0 ? [] : [peers[0].addr],
        // A 10 s window: replies come within U(0, 1 s) plus their way through a gossipsub mesh
        // that may still be forming (rosters fill in about a second, before the mesh settles).
        room: { presence: { basePeriodMs: PERIOD_MS, censusWindowMs: 10_000 } }
      }))
    }
    await waitFor(() => peers.every(p => p.session.who().length === 5), 'rosters of 5', 20_000)
    const result = await peers[2].session.census()
    expect(result.p).toBe(1)
    expect(result.estimate).toBe(5)
    expect(result.rosterCount).toBe(5)
    expect(result.low).toBeLessThanOrEqual(5)
    expect(result.high).toBeGreaterThanOrEqual(5)
    await expect(peers[2].session.census()).rejects.toThrow(/census ran moments ago/)
  })
})
