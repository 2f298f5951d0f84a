/**
 * `npm run bench -- governance` (issue 18): a registry room on loopback, 5 trusted peers (a
 * committee of 3) and 5 others, each a real session. A trusted peer outside the committee asks
 * for a ban; the time from the ask to the moment each peer's validator refuses the banned peer
 * (its governance state says banned) is measured, then the ban is lifted; 30 trials. Also: the
 * decision messages and bytes a non-member receives per applied entry.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { initialTrustedCommittee } from '../src/consensus/index.js'
import type { Registry } from '../src/registry/types.js'
import { LiveSession } from '../src/session/session.js'
import { percentile } from './stats.js'
import { until } from './until.js'

const TRUSTED = 5
const OTHERS = 5

async function startRoom (): Promise<{ sessions: LiveSession[], trustedIds: string[], keys: PrivateKey[], registry: Registry }> {
  const keys: PrivateKey[] = []
  for (let i = 0; i < TRUSTED + OTHERS; i++) keys.push(await generateKeyPair('Ed25519'))
  const ids = keys.map(k => peerIdFromPrivateKey(k).toString())
  const trustedIds = ids.slice(0, TRUSTED)
  const registry: Registry = { created: 0, rooms: [{ name: 'gov', desc: '', rendezvous: `p2pchat-bench/gov-${ids[0].slice(-6)}`, trustedPeers: trustedIds }] }
  const sessions: LiveSession[] = []
  for (const [i, privateKey] of keys.entries()) {
    // Dialed one at a time, a quarter second apart: libp2p refuses more than 5 inbound connections
    // a second from one host, and every connection here comes from 127.0.0.1.
    const bootstrap = i === 0 ? [] : [sessions[0].identity().addresses[0]]
    sessions.push(await LiveSession.start({ privateKey, registry, registryRoom: 'gov', nick: `n${i}`, localPort: 0, listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap }))
    await new Promise(resolve => setTimeout(resolve, 250))
  }
  await until(() => sessions.every(s => s.topicPeerCount() >= sessions.length - 1), 30_000)
  return { sessions, trustedIds, keys, registry }
}

/**
 * Churn: every `periodMs` one trusted peer (round-robin, so leaders too) stops, and comes back
 * with the same key `downMs` later (longer than the 10 s a member may be silent); `cycles` times.
 * Counts the changes of members an ordinary peer applies, and checks that a ban still holds
 * everywhere at the end.
 */
async function churn (sessions: LiveSession[], trustedIds: string[], keys: PrivateKey[], registry: Registry, cycles: number, periodMs: number, downMs: number): Promise<{ minutes: number, changes: number, banHeld: boolean, banMs?: number }> {
  const observer = sessions[sessions.length - 1]
  const before = observer.room.driver.decisions.governance.counts().membershipChanges
  const began = Date.now()
  for (let c = 0; c < cycles; c++) {
    const index = c % trustedIds.length
    const victim = sessions[index]
    await victim.stop()
    await new Promise(resolve => setTimeout(resolve, downMs))
    sessions[index] = await LiveSession.start({ privateKey: keys[index], registry, registryRoom: 'gov', nick: `n${index}`, localPort: 0, listen: ['/ip4/127.0.0.1/tcp/0'], bootstrap: [observer.identity().addresses[0]] })
    await new Promise(resolve => setTimeout(resolve, Math.max(0, periodMs - downMs)))
  }
  const minutes = (Date.now() - began) / 60_000
  const changes = observer.room.driver.decisions.governance.counts().membershipChanges - before
  const target = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
  const asker = sessions.find(s => trustedIds.includes(s.peerId)) as LiveSession
  const t0 = performance.now()
  let banHeld = false
  try {
    await asker.room.govern({ type: 'ban', peer: target, reason: 'after churn' })
    banHeld = await until(() => sessions.every(s => s.room.driver.decisions.governance.isBanned(target)), 20_000)
  } catch {}
  return { minutes, changes, banHeld, ...(banHeld ? { banMs: performance.now() - t0 } : {}) }
}

/** Runs the governance benchmark. */
export async function runGovernance (trials = 30): Promise<{ lines: string[], figures: Record<string, unknown> }> {
  const { sessions, trustedIds, keys, registry } = await startRoom()
  try {
    const committee = initialTrustedCommittee(trustedIds)
    const asker = sessions.find(s => trustedIds.includes(s.peerId) && !committee.includes(s.peerId)) as LiveSession
    const nonMembers = sessions.filter(s => !committee.includes(s.peerId))
    await until(() => sessions.some(s => s.room.committee().member && s.room.committee().leader === s.peerId), 20_000)
    const enforcedAll: number[] = []
    const enforcedEach: number[] = []
    let failed = 0
    const before = nonMembers.map(s => ({ ...s.room.driver.decisions.traffic, applied: s.room.committee().appliedIndex }))
    for (let t = 0; t < trials; t++) {
      const target = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
      const began = performance.now()
      const at = new Map<LiveSession, number>()
      const watch = setInterval(() => { for (const s of sessions) if (!at.has(s) && s.room.driver.decisions.governance.isBanned(target)) at.set(s, performance.now() - began) }, 1)
      try {
        await asker.room.govern({ type: 'ban', peer: target, reason: `trial ${t}` })
        if (!await until(() => at.size === sessions.length, 10_000)) { failed++; continue }
      } catch {
        failed++
        continue
      } finally {
        clearInterval(watch)
      }
      enforcedEach.push(...at.values())
      enforcedAll.push(Math.max(...at.values()))
      await asker.room.govern({ type: 'unban', peer: target }).catch(() => {})
      await until(() => sessions.every(s => !s.room.driver.decisions.governance.isBanned(target)), 10_000)
    }
    const after = nonMembers.map(s => ({ ...s.room.driver.decisions.traffic, applied: s.room.committee().appliedIndex }))
    const perEntry = after.map((a, i) => {
      const entries = Math.max(1, a.applied - before[i].applied)
      return { messages: (a.topicBatches - before[i].topicBatches) / entries, bytes: (a.topicBytes - before[i].topicBytes) / entries, catchUps: a.catchUps - before[i].catchUps }
    })
    const mean = (xs: number[]): number => xs.reduce((x, y) => x + y, 0) / Math.max(1, xs.length)
    const ms = (xs: number[], p: number): string => xs.length === 0 ? 'n/a' : `${percentile(xs, p).toFixed(0)} ms`
    const lines = [
      '## governance (issue 18)', '',
      `A registry room of ${sessions.length} live sessions on loopback (${TRUSTED} trusted; the registry's committee of ${committee.length} grows to the 4 a room of 10 calls for); a trusted peer outside the registry's committee asks for a ban; ${trials - failed} of ${trials} trials finished.`,
      `- ask to every peer's validator refusing the banned peer: p50 ${ms(enforcedAll, 50)}, p99 ${ms(enforcedAll, 99)}, max ${ms(enforcedAll, 100)} (target p99 ≤ 1 s)`,
      `- ask to each single peer enforcing it: p50 ${ms(enforcedEach, 50)}, p99 ${ms(enforcedEach, 99)}`,
      `- a non-member receives per applied entry: ${mean(perEntry.map(p => p.messages)).toFixed(2)} decision messages, ${mean(perEntry.map(p => p.bytes)).toFixed(0)} bytes of decision content (target: one message); catch-ups made: ${perEntry.map(p => p.catchUps).join(', ')}`
    ]
    const churned = await churn(sessions, trustedIds, keys, registry, 6, 20_000, 12_000)
    lines.push(`- churn: one trusted peer (of ${TRUSTED}) stopped every 20 s and back after 12 s, 6 times in ${churned.minutes.toFixed(1)} min: ${churned.changes} changes of members (${(churned.changes / churned.minutes).toFixed(1)} per minute); a ban afterwards ${churned.banHeld ? `held on every peer in ${churned.banMs?.toFixed(0)} ms` : 'did NOT hold on every peer'}`)
    return { lines, figures: { trials, failed, enforcedAll, enforcedEach, perEntry, churn: churned } }
  } finally {
    await Promise.all(sessions.map(async s => { await s.stop().catch(() => {}) }))
  }
}
