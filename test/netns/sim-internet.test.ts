/**
 * The simulated internet itself: namespaces are created and removed, the public segment routes
 * both documentation ranges, and the two kinds of home router map ports as advertised (checked
 * the way STUN does: one local UDP socket asks several servers what address they see).
 */

import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { NsProcess, fixture } from './harness/ns-process.js'
import { SimInternet } from './harness/sim-internet.js'

describe('simulated internet', () => {
  let net: SimInternet
  const procs: NsProcess[] = []

  beforeAll(async () => {
    net = SimInternet.create({ publicHosts: 2, homes: ['cone', 'symmetric'] })
    for (const host of net.publicHosts) {
      for (const port of [3478, 3479]) {
        const p = new NsProcess(host.ns, [fixture('udp-echo.mjs'), String(port)])
        procs.push(p)
        await p.waitForLine(l => l === 'ready', 'udp echo server', 10_000)
      }
    }
  })

  afterAll(async () => {
    await Promise.all(procs.map(async p => { await p.stop(true) }))
    net?.destroy()
  })

  const servers = (): string[] => net.publicHosts.flatMap(h => [`${h.address}:3478`, `${h.address}:3479`])

  async function observed (ns: string): Promise<string[]> {
    const probe = new NsProcess(ns, [fixture('udp-probe.mjs'), '5000', ...servers()])
    procs.push(probe)
    const line = await probe.waitForLine(l => l.startsWith('['), 'probe answers', 15_000)
    return JSON.parse(line) as string[]
  }

  it('a cone NAT keeps one mapping per socket, whatever the destination (endpoint-independent)', async () => {
    const home = net.homes[0]
    const seen = await observed(home.peerNs)
    expect(seen).toEqual(servers().map(() => `${home.wanAddress}:5000`))
  })

  it('a symmetric NAT maps each destination to a different port (endpoint-dependent)', async () => {
    const home = net.homes[1]
    const seen = await observed(home.peerNs)
    expect(seen.every(s => s?.startsWith(`${home.wanAddress}:`))).toBe(true)
    // Four destinations, four random ports: all equal would be a 1-in-10^14 coincidence.
    expect(new Set(seen).size).toBeGreaterThan(1)
  })

  it('unsolicited traffic from the internet does not reach a home peer', async () => {
    // The probe above opened a mapping towards the echo servers only; a public host that was
    // never contacted sends to the same public address and port.
    const home = net.homes[0]
    const listener = new NsProcess(home.peerNs, [fixture('udp-echo.mjs'), '5001'])
    procs.push(listener)
    await listener.waitForLine(l => l === 'ready', 'home listener', 10_000)
    const stranger = new NsProcess(net.publicHosts[1].ns, [fixture('udp-probe.mjs'), '6000', `${home.wanAddress}:5001`])
    procs.push(stranger)
    const line = await stranger.waitForLine(l => l.startsWith('['), 'stranger probe result', 15_000)
    expect(JSON.parse(line)).toEqual([null])
  })

  it('removes every namespace it created', () => {
    const probe = SimInternet.create({ publicHosts: 1, homes: ['cone'] })
    expect(probe.remaining().length).toBe(4)
    probe.destroy()
    expect(probe.remaining()).toEqual([])
  })
})
