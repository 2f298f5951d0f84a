/**
 * The certifier on its own, with a stand-in signature (a hash of signer and payload; the real
 * Ed25519 path is in committee.test.ts and the integration test): the digest chain follows saved
 * entries and rewrites from a conflict, a majority of the committee makes a certificate, and a
 * certificate is accepted only when it is valid and matches our own chain.
 */
import { createHash } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { Certifier, certificatePayload, type Entry, type SignatureCheck } from '../../../src/consensus/index.js'

const fakeSign = (member: string, payload: Uint8Array): Uint8Array => new Uint8Array(createHash('sha256').update(member).update(payload).digest())
const check: SignatureCheck = (member, payload, signature) => Buffer.from(fakeSign(member, payload)).equals(Buffer.from(signature))
const entry = (index: number, term: number, text = `e${index}`): Entry => ({ index, term, kind: 'command', data: new TextEncoder().encode(text) })
const committee = ['a', 'b', 'c']

function endorseAll (c: Certifier, members: string[], term: number, index: number): boolean {
  let made = false
  for (const m of members) made = c.endorse(m, term, index, fakeSign(m, c.payload(term, index) as Uint8Array), committee) || made
  return made
}

describe('Certifier', () => {
  it('a majority of the committee signing one (term, index) is a certificate covering everything up to it', () => {
    const leader = new Certifier('room', check)
    leader.saved([entry(1, 1), entry(2, 1), entry(3, 1)])
    expect(endorseAll(leader, ['a'], 1, 3)).toBe(false)
    expect(endorseAll(leader, ['b'], 1, 3)).toBe(true)
    expect(leader.certifiedIndex).toBe(3)
    expect(leader.certificate?.signatures.map(s => s.member).sort()).toEqual(['a', 'b'])
  })

  it('refuses bad signatures and outsiders, and counts the bad ones', () => {
    const leader = new Certifier('room', check)
    leader.saved([entry(1, 1)])
    const payload = leader.payload(1, 1) as Uint8Array
    expect(leader.endorse('a', 1, 1, fakeSign('mallory', payload), committee)).toBe(false)
    expect(leader.endorse('mallory', 1, 1, fakeSign('mallory', payload), committee)).toBe(false)
    expect(leader.endorse('b', 1, 1, fakeSign('b', payload), committee)).toBe(false)
    expect(leader.certifiedIndex).toBe(0)
    expect(leader.refused).toBe(1)
  })

  it('a follower accepts a certificate only for its own chain', () => {
    const leader = new Certifier('room', check)
    leader.saved([entry(1, 1), entry(2, 1)])
    endorseAll(leader, ['a', 'b'], 1, 2)
    const certificate = leader.certificate
    if (certificate === undefined) throw new Error('no certificate')
    const same = new Certifier('room', check)
    same.saved([entry(1, 1)])
    expect(same.accept(certificate, committee)).toBe(false) // not saved that far yet: not a refusal
    expect(same.refused).toBe(0)
    same.saved([entry(2, 1)])
    expect(same.accept(certificate, committee)).toBe(true)
    const diverged = new Certifier('room', check)
    diverged.saved([entry(1, 1), entry(2, 1, 'other')])
    expect(diverged.accept(certificate, committee)).toBe(false)
    expect(diverged.refused).toBe(1)
    // A conflict rewrites the chain from the first replaced entry.
    diverged.saved([entry(2, 1)])
    expect(diverged.accept(certificate, committee)).toBe(true)
    expect(diverged.digestAt(2)).toEqual(certificate.digest)
    expect(certificatePayload('room', 1, 2, certificate.digest)).toEqual(leader.payload(1, 2))
  })

  it('compaction and a snapshot keep the chain going from their digest', () => {
    const c = new Certifier('room', check)
    c.saved([entry(1, 1), entry(2, 1), entry(3, 1)])
    const at2 = c.digestAt(2) as Uint8Array
    const at3 = c.digestAt(3) as Uint8Array
    c.compacted(2)
    expect([c.digestAt(1), c.digestAt(2), c.digestAt(3)]).toEqual([undefined, at2, at3])
    const fresh = new Certifier('room', check)
    fresh.restored(2, at2)
    fresh.saved([entry(3, 1)])
    expect(fresh.digestAt(3)).toEqual(at3)
  })
})

describe('certificates across a membership change', () => {
  it('at a config entry\'s index a certificate needs a majority of the committee before it and of the one after', () => {
    const leader = new Certifier('room', check)
    leader.saved([entry(1, 1), { index: 2, term: 1, kind: 'config', data: new Uint8Array(), members: ['a', 'b', 'c', 'd'] }])
    // Adding d: {a, b, c} before, {a, b, c, d} after. d and c are not a majority of the four;
    // with b they are, and b and c are a majority of the three before.
    const change = { members: ['a', 'b', 'c', 'd'], configIndex: 2, before: ['a', 'b', 'c'] }
    const sign = (m: string): boolean => leader.endorse(m, 1, 2, fakeSign(m, leader.payload(1, 2) as Uint8Array), change)
    expect(sign('d')).toBe(false)
    expect(sign('c')).toBe(false)
    expect(sign('b')).toBe(true)
  })

  it('a RaftCore reports the config in force at each index and the list before its change; the certifier asks for both until a certificate covers the change', async () => {
    const { RaftCore } = await import('../../../src/consensus/index.js')
    const core = new RaftCore({ id: 'a', members: ['a'] }, 0)
    core.tick(5_000)
    core.propose(new Uint8Array([1]))
    core.changeMembers(['a', 'b'])
    core.propose(new Uint8Array([2]))
    expect(core.configAt(2)).toEqual({ members: ['a'], configIndex: 0 })
    expect(core.configAt(4)).toEqual({ members: ['a', 'b'], configIndex: 3, before: ['a'] })
    const certifier = new Certifier('room', check)
    expect(certifier.required(core.configAt(4))).toEqual({ members: ['a', 'b'], previous: ['a'] })
    certifier.saved(core.ready().entries)
    certifier.endorse('a', 1, 3, fakeSign('a', certifier.payload(1, 3) as Uint8Array), core.configAt(3))
    expect(certifier.endorse('b', 1, 3, fakeSign('b', certifier.payload(1, 3) as Uint8Array), core.configAt(3))).toBe(true)
    expect(certifier.required(core.configAt(4))).toEqual({ members: ['a', 'b'] })
  })
})
