/**
 * The live host's crashes, on loopback in this process: an abrupt one looks like a kill -9 to
 * the survivors (their links are cut with no yamux GoAway, no leave reaches them, and presence removes the victim
 * as lost), a clean one says goodbye (the survivors bury it as a leave).
 */
import { afterEach, describe, expect, it } from 'vitest'
import { LiveHost } from '../../../src/sim/live-host.js'
import type { NodeInfo, RosterView } from '../../../src/sim/live-types.js'

/** The part of a survivor's connection the test reads (the muxer is not in libp2p's public interface). */
interface SurvivorLink {
  remotePeer: { toString: () => string }
  muxer?: { remoteGoAway?: number }
  addEventListener: (type: 'close', f: () => void) => void
}

const sink = { sent: () => {}, delivered: () => {} }
let host: LiveHost | undefined

afterEach(async () => { await host?.stop(); host = undefined })

async function until (check: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs
  while (Date.now() < deadline) {
    if (await check()) return true
    await new Promise(resolve => setTimeout(resolve, 100))
  }
  return false
}

/** Three nodes, node 2 dialing node 0 and 1; resolves once both list node 2. */
async function threeNodes (): Promise<{ host: LiveHost, infos: NodeInfo[] }> {
  const h = new LiveHost({ topic: `abrupt-${process.pid}-${Math.random().toString(16).slice(2)}`, seed: 1, gossip: {}, channel: {}, raw: false, rendezvous: false }, sink)
  host = h
  const [a] = await h.startNodes([0], [])
  const [b] = await h.startNodes([1], [a.addr])
  const [c] = await h.startNodes([2], [a.addr, b.addr])
  const infos = [a, b, c]
  await h.setPeers(infos.map(i => i.peerId))
  expect(await until(async () => (await h.rosterHas(c.peerId)).filter(v => v.listed).length === 2, 20_000)).toBe(true)
  return { host: h, infos }
}

/**
 * Records, for each survivor's link to the victim as it closes, whether a yamux GoAway (the
 * goodbye of a clean close) came first.
 */
function watchCloses (h: LiveHost, victim: string): Array<{ goAway: boolean }> {
  const closes: Array<{ goAway: boolean }> = []
  const hosted = (h as unknown as { hosted: Map<number, { session: { node: { getConnections: () => SurvivorLink[] } } }> }).hosted
  for (const n of [0, 1]) {
    for (const c of hosted.get(n)?.session.node.getConnections() ?? []) {
      if (c.remotePeer.toString() === victim) c.addEventListener('close', () => { closes.push({ goAway: c.muxer?.remoteGoAway !== undefined }) })
    }
  }
  return closes
}

describe('LiveHost.crash', () => {
  it('abrupt: the survivors\' links are cut with no goodbye (no GoAway), no leave arrives, and the victim is dropped as lost', async () => {
    const { host: h, infos } = await threeNodes()
    const closes = watchCloses(h, infos[2].peerId)
    const at = await h.crash(2, true)
    expect(Number.isFinite(at)).toBe(true)
    let views: RosterView[] = []
    expect(await until(async () => { views = await h.rosterHas(infos[2].peerId); return views.every(v => !v.listed) }, 30_000)).toBe(true)
    expect(views.map(v => v.leaveTombstone)).toEqual([false, false])
    // Every link was cut from the victim's side with no goodbye. Whether a survivor then reads
    // ECONNRESET, EPIPE or a bare EOF is the kernel's race (the first syscall after the RST takes
    // the error, the next sees end of stream), and a real kill -9 usually sends a FIN anyway, so
    // the test does not ask which.
    expect(closes.length).toBeGreaterThan(0)
    expect(closes).toEqual(closes.map(() => ({ goAway: false })))
  }, 60_000)

  it('clean: the survivors bury the victim as a leave', async () => {
    const { host: h, infos } = await threeNodes()
    const closes = watchCloses(h, infos[2].peerId)
    await h.crash(2)
    let views: RosterView[] = []
    expect(await until(async () => { views = await h.rosterHas(infos[2].peerId); return views.every(v => !v.listed) }, 30_000)).toBe(true)
    expect(views.map(v => v.leaveTombstone)).toEqual([true, true])
    expect(closes.some(c => c.goAway)).toBe(true)
  }, 60_000)
})
