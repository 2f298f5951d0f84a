/**
 * The committee's size and membership rules, and its quorum certificates with real Ed25519
 * keys: a majority of the committee in force certifies, a forged, altered, duplicated or
 * outsider's signature does not count.
 */
import { generateKeyPair } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { describe, expect, it } from 'vitest'
import { certificatePayload, chainDigest, committeeSize, GENESIS_DIGEST, initialTrustedCommittee, nextMembershipChange, rankCandidates, steadyTrustedCommittee, trustedCommittee, verifyCertificate, type Entry, type QuorumCertificate, type SignatureCheck } from '../../../src/consensus/index.js'

describe('committee size and membership', () => {
  it('is 2 + floor(ln N), at most N: 15 for a million peers, as PeerPrint says', () => {
    expect([1, 2, 3, 10, 100, 1_000, 10_000, 1_000_000].map(committeeSize)).toEqual([1, 2, 3, 4, 6, 8, 11, 15])
  })

  it('ranks candidates by a public hash of id and epoch: deterministic, order-free, reshuffled by the epoch', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `peer-${i}`)
    const first = rankCandidates(ids, 1, 5)
    expect(first).toHaveLength(5)
    expect(rankCandidates([...ids].reverse(), 1, 5)).toEqual(first)
    expect(rankCandidates(ids, 2, 5)).not.toEqual(first)
    expect(rankCandidates(['a', 'a', 'b'], 1, 5).sort()).toEqual(['a', 'b'])
  })

  it('moves toward the desired committee one member at a time, adding before removing, the leader last', () => {
    expect(nextMembershipChange(['a', 'b', 'c'], ['a', 'b', 'c'])).toBeUndefined()
    expect(nextMembershipChange(['a', 'b', 'c'], ['b', 'c', 'd'])).toEqual(['a', 'b', 'c', 'd'])
    expect(nextMembershipChange(['a', 'b', 'c', 'd'], ['b', 'c', 'd'])).toEqual(['b', 'c', 'd'])
    expect(nextMembershipChange(['a', 'b', 'c', 'd'], ['c', 'd'], 'a')).toEqual(['a', 'c', 'd'])
  })
})

describe('quorum certificates', () => {
  const entry = (index: number, data: string): Entry => ({ index, term: 2, kind: 'command', data: new TextEncoder().encode(data) })

  it('chains entry digests: a change anywhere below changes the digest at the top', () => {
    const a = chainDigest(chainDigest(GENESIS_DIGEST, entry(1, 'ban x')), entry(2, 'title y'))
    const b = chainDigest(chainDigest(GENESIS_DIGEST, entry(1, 'ban z')), entry(2, 'title y'))
    expect(a).toHaveLength(32)
    expect(Buffer.from(a).equals(Buffer.from(b))).toBe(false)
    expect(chainDigest(GENESIS_DIGEST, { index: 1, term: 1, kind: 'config', data: new Uint8Array(), members: ['a', 'b'] }))
      .not.toEqual(chainDigest(GENESIS_DIGEST, { index: 1, term: 1, kind: 'config', data: new Uint8Array(), members: ['ab'] }))
  })

  it('a majority of the committee certifies; outsiders, duplicates and bad signatures do not count', async () => {
    const keys = new Map<string, PrivateKey>()
    for (const name of ['a', 'b', 'c', 'd', 'e', 'mallory']) keys.set(name, await generateKeyPair('Ed25519'))
    const committee = ['a', 'b', 'c', 'd', 'e']
    const check: SignatureCheck = (member, payload, signature) => {
      const verified = keys.get(member)?.publicKey.verify(payload, signature)
      return verified === true
    }
    const digest = chainDigest(GENESIS_DIGEST, entry(1, 'ban x'))
    const payload = certificatePayload('room-x', 2, 1, digest)
    const sign = async (member: string): Promise<{ member: string, signature: Uint8Array }> => ({ member, signature: await keys.get(member)!.sign(payload) })
    const cert = (signatures: QuorumCertificate['signatures']): QuorumCertificate => ({ term: 2, index: 1, digest, signatures })

    expect(verifyCertificate('room-x', cert([await sign('a'), await sign('b'), await sign('c')]), committee, check)).toBe(true)
    expect(verifyCertificate('room-x', cert([await sign('a'), await sign('b')]), committee, check)).toBe(false)
    expect(verifyCertificate('room-x', cert([await sign('a'), await sign('a'), await sign('b')]), committee, check)).toBe(false)
    expect(verifyCertificate('room-x', cert([await sign('a'), await sign('b'), await sign('mallory')]), committee, check)).toBe(false)
    const forged = { member: 'c', signature: (await sign('mallory')).signature }
    expect(verifyCertificate('room-x', cert([await sign('a'), await sign('b'), forged]), committee, check)).toBe(false)
    // The same signatures do not certify another room, term or digest.
    expect(verifyCertificate('room-y', cert([await sign('a'), await sign('b'), await sign('c')]), committee, check)).toBe(false)
    const other = chainDigest(GENESIS_DIGEST, entry(1, 'ban y'))
    expect(verifyCertificate('room-x', { ...cert([await sign('a'), await sign('b'), await sign('c')]), digest: other }, committee, check)).toBe(false)
  })
})

describe('a trusted room\'s committee', () => {
  const trusted = Array.from({ length: 12 }, (_, i) => `trusted-${i}`)

  it('starts from the registry alone: the top 2 + floor(ln T) trusted peers, the same for every peer', () => {
    const first = initialTrustedCommittee(trusted)
    expect(first).toHaveLength(4) // 2 + floor(ln 12)
    expect(initialTrustedCommittee([...trusted].reverse())).toEqual(first)
    expect(first.every(p => trusted.includes(p))).toBe(true)
  })

  it('is k = min(online trusted, 2 + floor(ln N)) of the online trusted peers', () => {
    const online = new Set(trusted.slice(0, 3))
    expect(trustedCommittee(trusted, online, 1_000, 1).sort()).toEqual(trusted.slice(0, 3).sort())
    const all = new Set(trusted)
    expect(trustedCommittee(trusted, all, 1_000, 1)).toHaveLength(8)
    expect(trustedCommittee(trusted, all, 10, 1)).toHaveLength(4)
    expect(trustedCommittee(trusted, new Set(['stranger']), 100, 1)).toEqual([])
  })

  it('grows at once but shrinks only well below the step that grew it, and still drops the silent', () => {
    // Five trusted peers online (N is never taken below the online trusted peers' count).
    const all = new Set(trusted.slice(0, 5))
    const four = trustedCommittee(trusted, all, 8, 0) // 2 + floor(ln 8) = 4
    expect(four).toHaveLength(4)
    // N = 7 would give 3; 7 × 1.3 = 10 still gives 4: no change for one peer leaving.
    expect(steadyTrustedCommittee(trusted, all, 7, 0, four)).toEqual(four)
    // N = 5: 5 × 1.3 = 7 gives 3: now it shrinks.
    expect(steadyTrustedCommittee(trusted, all, 5, 0, four)).toHaveLength(3)
    // Growing needs no margin.
    expect(steadyTrustedCommittee(trusted, all, 21, 0, four)).toHaveLength(5)
    // A member gone silent leaves whatever the size.
    const online = new Set([...all].filter(p => p !== four[0]))
    expect(steadyTrustedCommittee(trusted, online, 7, 0, four)).not.toContain(four[0])
  })
})
