/**
 * Benchmarks on the simulated internet (test/netns/harness; needs root, iproute2 and iptables):
 *   nat-ready   start to chat-ready of two `--public` peers behind cone NATs, and the first line;
 *   nat-punch   DCUtR outcomes over 20 tries per NAT pairing (cone–cone, cone–symmetric); time to
 *               the direct connection when one comes;
 *   nat-relay   bytes the relays carry per chat line on a relayed connection.
 * Every run builds its own namespaces and removes them at the end, also on failure.
 */

import { performance } from 'node:perf_hooks'
import { inNs } from '../test/netns/harness/ip.js'
import { SimInternet, type NatKind } from '../test/netns/harness/sim-internet.js'
import { ChatPeer, startPublicNodes, type PublicNode } from '../test/netns/harness/sim-nodes.js'
import { summarize } from './stats.js'

type Result = { lines: string[], figures: Record<string, unknown> }

async function withInternet<T> (homes: NatKind[], publicHosts: number, body: (net: SimInternet, relays: PublicNode[]) => Promise<T>): Promise<T> {
  const net = SimInternet.create({ publicHosts, homes })
  let relays: PublicNode[] = []
  try {
    relays = await startPublicNodes(net.publicHosts)
    return await body(net, relays)
  } finally {
    await Promise.all(relays.map(async r => { await r.proc.stop(true) }))
    net.destroy()
  }
}

const fmt = (v: number): string => `${Math.round(v).toLocaleString('en-US')} ms`

/** Two peers started together behind two cone NATs, `trials` times: spawn to peer-join on both, and the first line's delivery. */
export async function runNatReady (trials = 5): Promise<Result> {
  return await withInternet(['cone', 'cone'], 3, async (net, relays) => {
    const ready: number[] = []
    const firstLine: number[] = []
    for (let i = 0; i < trials; i++) {
      const topic = `ready-${i}`
      const t0 = performance.now()
      const [a, b] = await Promise.all([ChatPeer.start(net.homes[0].peerNs, topic, relays), ChatPeer.start(net.homes[1].peerNs, topic, relays)])
      try {
        await Promise.all([
          a.waitFor(e => e.type === 'peer-join' && e.peerId === b.peerId, 'join', 60_000).then(() => { ready.push(performance.now() - t0) }),
          b.waitFor(e => e.type === 'peer-join' && e.peerId === a.peerId, 'join', 60_000).then(() => { ready.push(performance.now() - t0) })
        ])
        const t1 = performance.now()
        a.proc.type('first line')
        await b.waitFor(e => e.type === 'message' && e.text === 'first line', 'first line', 30_000)
        firstLine.push(performance.now() - t1)
      } finally {
        await Promise.all([a.stop(), b.stop()])
      }
    }
    const r = summarize(ready)
    const l = summarize(firstLine)
    return {
      lines: [
        `start to chat-ready (both processes spawned at once; peer-join of the other): median ${fmt(r.median)}, p90 ${fmt(r.p90)}, max ${fmt(r.max)} (n = ${r.n})`,
        `first line typed to display on the other side (relayed): median ${l.median.toFixed(1)} ms, max ${l.max.toFixed(1)} ms (n = ${l.n})`
      ],
      figures: { readyMs: r, firstLineMs: l }
    }
  })
}

type Outcome = 'direct' | 'failed' | 'no-attempt' | 'no-chat'

/** One try: fresh peers in homes `lane*2` and `lane*2+1`; waits for chat-ready, then for DCUtR's verdict in either log. */
async function punchTry (net: SimInternet, relays: PublicNode[], lane: number, topic: string, listen: string[]): Promise<{ outcome: Outcome, directMs?: number }> {
  const args = ['--listen', ...listen]
  const [a, b] = await Promise.all([
    ChatPeer.start(net.homes[lane * 2].peerNs, topic, relays, args),
    ChatPeer.start(net.homes[lane * 2 + 1].peerNs, topic, relays, args)
  ])
  try {
    await a.waitFor(e => e.type === 'peer-join' && e.peerId === b.peerId, 'join', 60_000)
    const joined = performance.now()
    // DCUtR logs (DEBUG=libp2p:dcutr): a direct connection, or the last of its 3 attempts failing.
    const verdict = (p: ChatPeer, other: string): Outcome | undefined => {
      const lines = p.logLines()
      if (lines.some(l => l.includes(`link open ${other} direct`))) return 'direct'
      if (lines.some(l => l.includes('attempt 3 of 3'))) return 'failed'
      return undefined
    }
    for (let i = 0; i < 300; i++) {
      const v = verdict(a, b.peerId) ?? verdict(b, a.peerId)
      if (v === 'direct') return { outcome: v, directMs: performance.now() - joined }
      if (v !== undefined) return { outcome: v }
      await new Promise(resolve => setTimeout(resolve, 100))
    }
    return { outcome: 'no-attempt' }
  } finally {
    await Promise.all([a.stop(), b.stop()])
  }
}

/** 20 tries per NAT pairing and transport, two tries at a time (two pairs of homes). */
export async function runNatPunch (tries = 20): Promise<Result> {
  const lines: string[] = []
  const figures: Record<string, unknown> = {}
  const saved = process.env.SIM_DEBUG
  process.env.SIM_DEBUG = 'p2pchat,libp2p:dcutr*'
  try {
    for (const pairing of [['cone', 'cone'], ['cone', 'symmetric']] as Array<[NatKind, NatKind]>) {
      await withInternet([...pairing, ...pairing], 3, async (net, relays) => {
        // TCP only since @chainsafe/libp2p-quic was left out; its QUIC figures are in BENCHMARKS.md.
        for (const [transport, listen] of [['TCP', ['/ip4/0.0.0.0/tcp/0']]] as Array<[string, string[]]>) {
          const counts: Record<Outcome, number> = { direct: 0, failed: 0, 'no-attempt': 0, 'no-chat': 0 }
          const directMs: number[] = []
          const errors: string[] = []
          let next = 0
          const lane = async (index: number): Promise<void> => {
            while (next < tries) {
              const i = next++
              const r = await punchTry(net, relays, index, `punch-${transport}-${i}`, listen).catch((err: Error) => {
                errors.push(err.message.split('\n')[0])
                return { outcome: 'no-chat' as const, directMs: undefined }
              })
              process.stderr.write(`${pairing.join('-')} ${transport} try ${i + 1}: ${r.outcome}\n`)
              counts[r.outcome]++
              if (r.directMs !== undefined) directMs.push(r.directMs)
            }
          }
          await Promise.all([lane(0), lane(1)])
          const name = `${pairing.join('–')} ${transport}`
          const d = summarize(directMs)
          lines.push(`${name}: direct ${counts.direct}/${tries}, DCUtR failed ${counts.failed}, no DCUtR verdict in 30 s ${counts['no-attempt']}, no chat within 60 s ${counts['no-chat']}` +
            (directMs.length > 0 ? `; time to direct after chat-ready median ${fmt(d.median)}, max ${fmt(d.max)}` : '') +
            (errors.length > 0 ? ` (first failure: ${errors[0]})` : ''))
          figures[name] = { ...counts, directMs: d }
        }
      })
    }
  } finally {
    if (saved === undefined) delete process.env.SIM_DEBUG
    else process.env.SIM_DEBUG = saved
  }
  return { lines, figures }
}

/** Bytes through one namespace's eth0, received plus sent. */
function ethBytes (ns: string): number {
  const stats = JSON.parse(inNs(ns, 'ip', '-s', '-j', 'link', 'show', 'eth0')) as Array<{ stats64: { rx: { bytes: number }, tx: { bytes: number } } }>
  return stats[0].stats64.rx.bytes + stats[0].stats64.tx.bytes
}

/** Relay bytes per chat line: relay traffic over an idle window and over a window of `lines` lines, same length. */
export async function runNatRelayBytes (lines = 100, intervalMs = 100): Promise<Result> {
  return await withInternet(['cone', 'symmetric'], 3, async (net, relays) => {
    const [a, b] = await Promise.all([ChatPeer.start(net.homes[0].peerNs, 'bytes', relays), ChatPeer.start(net.homes[1].peerNs, 'bytes', relays)])
    try {
      await a.waitFor(e => e.type === 'peer-join' && e.peerId === b.peerId, 'join', 60_000)
      await b.waitFor(e => e.type === 'peer-join' && e.peerId === a.peerId, 'join', 60_000)
      const row = await a.peerRow(b.peerId)
      if (row?.link !== 'relayed') throw new Error(`expected a relayed connection, got ${row?.link ?? 'none'}`)
      const total = (): number => relays.reduce((sum, r) => sum + ethBytes(r.host.ns), 0)
      const windowMs = lines * intervalMs
      // Let the start-up traffic (DHT, reservations, presence) settle, then measure idle.
      await new Promise(resolve => setTimeout(resolve, 5000))
      const idle0 = total()
      await new Promise(resolve => setTimeout(resolve, windowMs))
      const idle = total() - idle0
      const text = 'x'.repeat(64)
      const resets = (): number => a.logLines().filter(l => l.includes(`link closed ${b.peerId} relayed`)).length
      const resets0 = resets()
      const busy0 = total()
      const sentAt = performance.now()
      for (let i = 0; i < lines; i++) {
        a.proc.type(`${text} ${i}`)
        await new Promise(resolve => setTimeout(resolve, intervalMs))
      }
      await b.waitFor(e => e.type === 'message' && e.text === `${text} ${lines - 1}`, 'last line', 30_000)
      const elapsed = performance.now() - sentAt
      const busy = total() - busy0
      const busyResets = resets() - resets0
      const idleScaled = idle * elapsed / windowMs
      const perLine = (busy - idleScaled) / lines
      return {
        lines: [
          `${lines} lines of 64 characters, one per ${intervalMs} ms, cone–symmetric pair on a relayed connection (3 relays)`,
          `relay traffic (bytes in + out on the relays' interfaces): idle ${Math.round(idle).toLocaleString('en-US')} B over ${windowMs} ms; while chatting ${Math.round(busy).toLocaleString('en-US')} B over ${Math.round(elapsed)} ms`,
          `per chat line: ${Math.round(perLine).toLocaleString('en-US')} B in + out, i.e. ~${Math.round(perLine / 2).toLocaleString('en-US')} B carried each way`,
          `relayed connections between the two closed (relay limit resets, redials) while chatting: ${busyResets}`
        ],
        figures: { lines, idleBytes: idle, busyBytes: busy, perLineInOut: perLine, resets: busyResets }
      }
    } finally {
      await Promise.all([a.stop(), b.stop()])
    }
  })
}
