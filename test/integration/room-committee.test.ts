/**
 * A registry room's committee on real sessions on loopback: five trusted peers and five others.
 * The committee forms among the trusted peers the registry ranks first and grows to the size the
 * room calls for; a `/ban` by a trusted peer that is not on it reaches the leader, is certified,
 * and holds on every peer (the banned peer's lines are refused everywhere, and it is told); a
 * title reaches everyone; a forged decision is refused and counted; when the leader goes, another
 * is elected, replaces it by the next trusted peer, and goes on deciding.
 */
import { afterEach, describe, expect, it } from 'vitest'
import { generateKeyPair } from '@libp2p/crypto/keys'
import { peerIdFromPrivateKey } from '@libp2p/peer-id'
import type { PrivateKey } from '@libp2p/interface'
import { certificatePayload, chainDigest, GENESIS_DIGEST, initialTrustedCommittee, rankCandidates, type CertifiedBatch, type Entry } from '../../src/consensus/index.js'
import type { ReliableMessage } from '../../src/reliability/index.js'
import { toWireMessage } from '../../src/room/core-adapter.js'
import { encodeChatContent, encodeChatMessage } from '../../src/wire/index.js'
import type { Registry } from '../../src/registry/types.js'
import type { GovernanceNotice } from '../../src/room/types.js'
import { encodeDecision } from '../../src/room/decision-codec.js'
import { encodeGovernanceCommand } from '../../src/room/governance-codec.js'
import { startPeer, stopAll, type TestPeer } from '../support/sessions.js'
import { waitFor } from '../support/wait.js'

/** 3 s, not the product's 1 s: see committee.test.ts (a busy machine must not cost the leader its place). */
const ELECTION_TIMEOUT_MS = 3_000

let peers: TestPeer[] = []
afterEach(async () => { await stopAll(peers); peers = [] })

interface Governed extends TestPeer { notices: GovernanceNotice[], id: string }

async function governedRoom (trustedCount: number, others: number): Promise<{ all: Governed[], trusted: Governed[], committee: string[], ranked: string[], keys: PrivateKey[] }> {
  const keys: PrivateKey[] = []
  for (let i = 0; i < trustedCount + others; i++) keys.push(await generateKeyPair('Ed25519'))
  const ids = keys.map(k => peerIdFromPrivateKey(k).toString())
  const trustedIds = ids.slice(0, trustedCount)
  const registry: Registry = { created: 0, rooms: [{ name: 'gov', desc: 'governed', rendezvous: `p2pchat-test/gov-${ids[0].slice(-6)}`, trustedPeers: trustedIds }] }
  const all: Governed[] = []
  for (const [i, privateKey] of keys.entries()) {
    const peer = await startPeer({
      privateKey, registry, registryRoom: 'gov', nick: i < trustedCount ? `t${i}` : `o${i}`, bootstrap: i === 0 ? [] : [all[0].addr],
      room: { consensus: { electionTimeoutMs: ELECTION_TIMEOUT_MS }, decisions: { memberSilenceMs: 2_500, candidateSettleMs: 1_000, compactEvery: 4 } }
    })
    const governed: Governed = { ...peer, notices: [], id: ids[i] }
    peer.session.room.addEventListener('governance', evt => { governed.notices.push(evt.detail) })
    all.push(governed)
    peers.push(peer)
  }
  await waitFor(() => all.every(p => p.session.topicPeerCount() >= all.length - 1), 'everyone in the room', 20_000)
  return { all, trusted: all.slice(0, trustedCount), committee: initialTrustedCommittee(trustedIds), ranked: rankCandidates(trustedIds, 0, trustedCount), keys }
}

const sameSet = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every(x => b.includes(x))
const leaderOf = (group: Governed[]): Governed | undefined => group.find(p => p.session.room.committee().member && p.session.room.committee().leader === p.id)

/** Publishes raw bytes on a peer's topic as that peer (a validly signed gossipsub message). */
async function publishAs (peer: Governed, build: (now: number) => ReliableMessage): Promise<void> {
  const msg = build(Date.now())
  await peer.session.room.gossipsub.publish(msg, encodeChatMessage(toWireMessage(msg, peer.session.node.peerId)))
}

describe('a registry room committee on live sessions', () => {
  it('forms, bans everywhere on a trusted word, sets a title, fails over, and refuses a forged decision', async () => {
    const { all, trusted, committee, ranked, keys } = await governedRoom(5, 5)
    // The registry's committee: the top 3 of 5 trusted peers by rank.
    expect(committee).toEqual(ranked.slice(0, 3))
    const byId = (id: string): Governed => all.find(p => p.id === id) as Governed
    expect(committee.every(id => byId(id).session.room.committee().member)).toBe(true)
    await waitFor(() => leaderOf(committee.map(byId)) !== undefined, 'a leader elected', 20_000)
    // The room has 10 peers, so the committee grows to k = min(5 trusted, 2 + floor(ln 10)) = 4: the
    // leader adds the next trusted peer by rank, which starts its own member. (With 9 peers left
    // after the leader goes, k stays 4.)
    const four = ranked.slice(0, 4)
    await waitFor(() => all.every(p => sameSet(p.session.room.committee().members, four)) && byId(ranked[3]).session.room.committee().member, 'the committee grown to four on every peer', 20_000)
    const members = four.map(byId)

    // A trusted peer outside the committee bans an ordinary peer: the leader takes it, and every peer applies it.
    const asker = byId(ranked[4])
    const mallory = all[all.length - 1]
    await asker.session.room.govern({ type: 'ban', peer: mallory.id, reason: 'spam' })
    await waitFor(() => all.every(p => p.session.room.committee().banned.some(b => b.peer === mallory.id)), 'the ban applied on every peer', 15_000)
    expect(mallory.notices.filter(n => n.type === 'banned' && n.self)).toHaveLength(1)
    expect(() => { mallory.session.room.send('still here?') }).toThrow(/banned/)

    // Mallory's lines are refused by every validator, so nobody shows them.
    await publishAs(mallory, now => mallory.session.room.driver.channel.send(encodeChatContent({ nick: 'mallory', text: 'sneaky', action: false }), now))
    await waitFor(() => all.some(p => p !== mallory && (p.session.room.status().dropped.banned ?? 0) > 0), 'a banned line refused')
    expect(all.filter(p => p !== mallory).every(p => !p.lines.some(l => l.text === 'sneaky'))).toBe(true)

    // An ordinary peer cannot govern; a title by a trusted member reaches everyone.
    await expect(all[5].session.room.govern({ type: 'title', text: 'nope' })).rejects.toThrow(/trusted peers/)
    await trusted[1].session.room.govern({ type: 'title', text: 'welcome to gov' })
    await waitFor(() => all.every(p => p.session.room.committee().title === 'welcome to gov'), 'the title everywhere', 15_000)

    // A member forges a ban under a certificate with its signature alone: refused by every peer, counted.
    const forger = members.find(p => p !== leaderOf(members)) as Governed
    const observer = all[5]
    // The observer's whole log, as catch-ups serve it (one change of members per batch at most).
    const governance = observer.session.room.driver.decisions.governance
    let digest: Uint8Array = GENESIS_DIGEST
    let held: CertifiedBatch | undefined
    for (let after = 0, next = governance.serve(0); next !== undefined; after = next.certificate.index, next = governance.serve(after)) {
      for (const e of next.entries) digest = chainDigest(digest, e)
      held = next
    }
    if (held === undefined) throw new Error('the observer has applied nothing')
    expect(held.certificate.index).toBe(observer.session.room.committee().appliedIndex)
    const forged: Entry = { index: held.certificate.index + 1, term: held.certificate.term, kind: 'command', data: encodeGovernanceCommand({ type: 'ban', peer: all[6].id, reason: 'forged', by: forger.id, issuedAt: Date.now() }) }
    const forgedDigest = chainDigest(digest, forged)
    const signature = await keys[all.indexOf(forger)].sign(certificatePayload(observer.session.room.names.topic, forged.term, forged.index, forgedDigest))
    const batch: CertifiedBatch = { entries: [forged], certificate: { term: forged.term, index: forged.index, digest: forgedDigest, signatures: [{ member: forger.id, signature }] } }
    await publishAs(forger, now => forger.session.room.driver.channel.sendEphemeral(encodeDecision(batch), now))
    await waitFor(() => (observer.session.room.status().dropped['decision-bad-certificate'] ?? 0) > 0, 'the forged decision refused')
    expect(all.every(p => !p.session.room.committee().banned.some(b => b.peer === all[6].id))).toBe(true)

    // Members keep their logs short: every 4 entries a snapshot of the governance replaces them.
    await waitFor(() => members.some(p => (p.session.room.committee().snapshotIndex ?? 0) > 0), 'a member compacted its log')

    // The leader goes away; another is elected, replaces the silent one by the last trusted peer,
    // and the committee goes on deciding.
    const first = leaderOf(members) as Governed
    await first.session.stop()
    const rest = members.filter(p => p !== first)
    await waitFor(() => leaderOf(rest) !== undefined, 'a new leader', 20_000)
    const replaced = [...four.filter(id => id !== first.id), ranked[4]]
    await waitFor(() => all.filter(p => p !== first).every(p => sameSet(p.session.room.committee().members, replaced)) && asker.session.room.committee().member, 'the silent leader replaced on every peer', 30_000)
    await trusted.filter(p => p !== first)[0].session.room.govern({ type: 'title', text: 'after the failover' })
    await waitFor(() => all.filter(p => p !== first).every(p => p.session.room.committee().title === 'after the failover'), 'the new title everywhere', 15_000)
  }, 120_000)
})
