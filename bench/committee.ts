/**
 * `npm run bench -- committee` (issue 18): the committee's size against the room's, and live on
 * loopback: leader failover after a kill-like cut of the leader at k = 5 (time to a new leader
 * and to its first commit everywhere), and what members send per second when idle at
 * k = 5, 8 and 15.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { committeeSize } from '../src/consensus/index.js'
import { createChatNode, type ChatNode } from '../src/node/create-node.js'
import { CommitteeLinks } from '../src/room/committee-protocol.js'
import { CommitteeService } from '../src/room/committee-service.js'
import { MemoryCommitteeStorage } from '../src/store/index.js'
import { percentile } from './stats.js'
import { until } from './until.js'

interface Member { node: ChatNode, links: CommitteeLinks, service: CommitteeService, id: string, commits: number, leaderAt?: number, appliedAt: Map<string, number> }

const ROOM = 'bench-committee'

async function startCommittee (k: number, seed: number): Promise<Member[]> {
  const nodes: ChatNode[] = []
  const keys: PrivateKey[] = []
  for (let i = 0; i < k; i++) keys.push(await generateKeyPair('Ed25519'))
  for (let i = 0; i < k; i++) nodes.push(await createChatNode({ privateKey: keys[i] }))
  // A full mesh, dialed in rounds in which each node receives one connection: libp2p refuses more
  // than 5 inbound connections a second from one host (inboundConnectionThreshold), and here
  // every connection comes from 127.0.0.1.
  for (let d = 1; d <= Math.floor(k / 2); d++) {
    await Promise.all(nodes.map(async (node, i) => {
      const other = nodes[(i + d) % k]
      if (node.getConnections(other.peerId).length === 0) await node.dial(other.getMultiaddrs()[0])
    }))
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  const ids = nodes.map(n => n.peerId.toString())
  const members: Member[] = []
  for (const [i, node] of nodes.entries()) {
    const links = new CommitteeLinks(node)
    await links.start()
    const member: Member = { node, links, id: ids[i], commits: 0, appliedAt: new Map(), service: undefined as unknown as CommitteeService }
    member.service = new CommitteeService({
      id: ids[i], room: ROOM, members: ids, links, storage: new MemoryCommitteeStorage(), sign: async payload => await keys[i].sign(payload), consensus: { seed: seed * 100 + i },
      onCommitted: e => { member.commits++; if (e.kind === 'command') member.appliedAt.set(new TextDecoder().decode(e.data), Date.now()) },
      onSoftState: s => { if (s.role === 'leader') member.leaderAt = Date.now() }
    })
    members.push(member)
  }
  for (const m of members) await m.service.start()
  return members
}

async function stopCommittee (members: Member[]): Promise<void> {
  for (const m of members) { await m.service.stop(); await m.links.stop(); try { await m.node.stop() } catch {} }
}

const leaders = (members: Member[]): Member[] => members.filter(m => m.service.status().role === 'leader')

/** One failover: returns ms from the cut to a new leader, and to its first command applied on every survivor. */
async function failover (seed: number): Promise<{ leader: number, commit: number } | undefined> {
  const members = await startCommittee(5, seed)
  try {
    if (!await until(() => leaders(members).length === 1 && members.every(m => m.commits > 0), 20_000, 5)) return undefined
    const old = leaders(members)[0]
    // Let the committee settle into steady heartbeats.
    await new Promise(resolve => setTimeout(resolve, 500))
    const survivors = members.filter(m => m !== old)
    for (const m of survivors) m.leaderAt = undefined
    const cut = Date.now()
    await old.service.stop()
    for (const c of old.node.getConnections()) (c as unknown as { maConn: { abort: (e: Error) => void } }).maConn.abort(new Error('killed'))
    await old.node.stop()
    if (!await until(() => survivors.some(m => m.leaderAt !== undefined), 20_000, 5)) return undefined
    const next = survivors.find(m => m.leaderAt !== undefined) as Member
    next.service.propose(new TextEncoder().encode('next'))
    if (!await until(() => survivors.every(m => m.appliedAt.has('next')), 20_000, 5)) return undefined
    return { leader: (next.leaderAt as number) - cut, commit: Math.max(...survivors.map(m => m.appliedAt.get('next') as number)) - cut }
  } finally {
    await stopCommittee(members)
  }
}

/** Frames and bytes per second each member sends while idle, leader and followers apart. */
async function idleTraffic (k: number): Promise<{ k: number, leaderFrames: number, leaderBytes: number, followerFrames: number, followerBytes: number }> {
  const members = await startCommittee(k, k)
  try {
    await until(() => leaders(members).length === 1 && members.every(m => m.commits > 0), 30_000, 5)
    await new Promise(resolve => setTimeout(resolve, 1_000))
    const before = members.map(m => ({ ...m.links.traffic }))
    const began = Date.now()
    await new Promise(resolve => setTimeout(resolve, 10_000))
    const seconds = (Date.now() - began) / 1000
    const rates = members.map((m, i) => ({ leader: m.service.status().role === 'leader', frames: (m.links.traffic.sentFrames - before[i].sentFrames) / seconds, bytes: (m.links.traffic.sentBytes - before[i].sentBytes) / seconds }))
    const leader = rates.find(r => r.leader) ?? rates[0]
    const followers = rates.filter(r => r !== leader)
    const mean = (xs: number[]): number => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length)
    return { k, leaderFrames: leader.frames, leaderBytes: leader.bytes, followerFrames: mean(followers.map(f => f.frames)), followerBytes: mean(followers.map(f => f.bytes)) }
  } finally {
    await stopCommittee(members)
  }
}

/** Runs the committee benchmark. */
export async function runCommittee (trials = 20): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const lines: string[] = ['## committee (issue 18)', '', '| room size N | committee k = 2 + floor(ln N) |', '|---|---|']
  const sizes = [10, 100, 1_000, 10_000, 1_000_000].map(n => ({ n, k: committeeSize(n) }))
  for (const s of sizes) lines.push(`| ${s.n.toLocaleString('en-US')} | ${s.k} |`)
  const results: Array<{ leader: number, commit: number }> = []
  let failed = 0
  for (let t = 1; t <= trials; t++) {
    const r = await failover(t)
    if (r === undefined) failed++
    else results.push(r)
  }
  const leader = results.map(r => r.leader)
  const commit = results.map(r => r.commit)
  const f = (xs: number[], p: number): string => xs.length === 0 ? 'n/a' : `${(percentile(xs, p) / 1000).toFixed(2)} s`
  lines.push('', `Leader failover, k = 5 on loopback, ${results.length} of ${trials} trials (${failed} did not finish): the leader's sockets reset and its process state dropped at once.`)
  lines.push(`- cut to a new leader: p50 ${f(leader, 50)}, p99 ${f(leader, 99)}, max ${f(leader, 100)} (target p99 ≤ 2 s)`)
  lines.push(`- cut to the new leader's first command applied on every survivor: p50 ${f(commit, 50)}, p99 ${f(commit, 99)}, max ${f(commit, 100)}`)
  const idle = []
  for (const k of [5, 8, 15]) idle.push(await idleTraffic(k))
  lines.push('', 'Idle committee traffic (committee frames without length prefix, Noise or Yamux), per member per second:', '', '| k | leader frames/s | leader bytes/s | follower frames/s | follower bytes/s |', '|---|---|---|---|---|')
  for (const r of idle) lines.push(`| ${r.k} | ${r.leaderFrames.toFixed(0)} | ${r.leaderBytes.toFixed(0)} | ${r.followerFrames.toFixed(1)} | ${r.followerBytes.toFixed(0)} |`)
  return { lines, figures: { sizes, failover: { trials, failed, leader, commit }, idle } }
}
