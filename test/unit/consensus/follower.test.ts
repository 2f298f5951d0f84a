/**
 * A peer outside the committee following certified batches (stand-in signatures; the Ed25519
 * path is tested in committee.test.ts): it applies what a majority certified, follows a change
 * of members, and refuses, with a counted reason, a forged or altered decision, one certified by
 * too few members or by outsiders, a committee swapped in one step, and batches out of order.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Certifier, CommitteeFollower, type CertifiedBatch, type Entry, type SignatureCheck } from '../../../src/consensus/index.js'

const fakeSign = (member: string, payload: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(member).update(payload).digest())
const check: SignatureCheck = (member, payload, signature) => Buffer.from(fakeSign(member, payload)).equals(Buffer.from(signature))
const command = (index: number, text: string): Entry => ({ index, term: 1, kind: 'command', data: new TextEncoder().encode(text) })
const config = (index: number, members: string[]): Entry => ({ index, term: 1, kind: 'config', data: new Uint8Array(), members })

/** A certificate by `signers` over a log of `entries`, cut at its last entry. */
function batch (log: Entry[], from: number, signers: string[]): CertifiedBatch {
  const c = new Certifier('room', check)
  c.saved(log)
  const index = log[log.length - 1].index
  const payload = c.payload(1, index) as Uint8Array
  const digest = c.digestAt(index) as Uint8Array
  return { entries: log.filter(e => e.index >= from), certificate: { term: 1, index, digest, signatures: signers.map(m => ({ member: m, signature: fakeSign(m, payload) })) } }
}

describe('CommitteeFollower', () => {
  it('applies certified decisions, follows a change of members, and goes on with the new committee', () => {
    const follower = new CommitteeFollower('room', check, { members: ['a', 'b', 'c'] })
    const log = [command(1, 'title: hi'), command(2, 'ban x')]
    expect(follower.offer(batch(log, 1, ['a', 'b']))).toMatchObject({ ok: true, entries: log })
    log.push(config(3, ['a', 'b', 'c', 'd']), command(4, 'pin 7'))
    // b, c, d: a majority of the four, and b, c a majority of the three before.
    expect(follower.offer(batch(log, 3, ['b', 'c', 'd'])).ok).toBe(true)
    expect(follower.members).toEqual(['a', 'b', 'c', 'd'])
    log.push(command(5, 'unban x'))
    expect(follower.offer(batch(log, 5, ['a', 'c'])).ok).toBe(false) // 2 of 4 is no majority now
    expect(follower.offer(batch(log, 5, ['a', 'c', 'd'])).ok).toBe(true)
    expect(follower.appliedIndex).toBe(5)
  })

  it('refuses forged, altered, under-signed and swapped-committee batches, and counts each', () => {
    const follower = new CommitteeFollower('room', check, { members: ['a', 'b', 'c'] })
    const log = [command(1, 'ban x')]
    expect(follower.offer(batch(log, 1, ['mallory', 'a'])).ok).toBe(false)
    expect(follower.offer(batch(log, 1, ['a'])).ok).toBe(false)
    const altered = batch(log, 1, ['a', 'b'])
    expect(follower.offer({ ...altered, entries: [command(1, 'ban y')] })).toEqual({ ok: false, reason: 'digest-mismatch' })
    // A committee of outsiders voting itself in: the old committee never signed it.
    const coup = [config(1, ['m1', 'm2', 'm3']), command(2, 'ban a')]
    expect(follower.offer(batch(coup, 1, ['m1', 'm2', 'm3'])).ok).toBe(false)
    const twice = [config(1, ['a', 'b', 'c', 'd']), config(2, ['a', 'b', 'c', 'd', 'e'])]
    expect(follower.offer(batch(twice, 1, ['a', 'b', 'c', 'd', 'e']))).toEqual({ ok: false, reason: 'two-changes' })
    expect(follower.refused).toEqual({ 'bad-certificate': 3, 'digest-mismatch': 1, 'two-changes': 1 })
    expect(follower.appliedIndex).toBe(0)
  })

  it('refuses a batch from the future (gap), an old one (stale), and one whose certificate is not at its end', () => {
    const follower = new CommitteeFollower('room', check, { members: ['a', 'b', 'c'] })
    const log = [command(1, 'x'), command(2, 'y'), command(3, 'z')]
    expect(follower.offer(batch(log, 2, ['a', 'b']))).toEqual({ ok: false, reason: 'gap' })
    expect(follower.offer(batch(log.slice(0, 2), 1, ['a', 'b'])).ok).toBe(true)
    expect(follower.offer(batch(log.slice(0, 2), 1, ['a', 'b']))).toEqual({ ok: false, reason: 'stale' })
    const cut = batch(log, 3, ['a', 'b'])
    expect(follower.offer({ ...cut, entries: [] })).toEqual({ ok: false, reason: 'malformed' })
    // Overlap with what it has is fine: the known prefix is skipped.
    expect(follower.offer(batch(log, 2, ['a', 'b']))).toMatchObject({ ok: true, entries: [log[2]] })
  })
})
