/**
 * What every peer does with the committee's certified batches: apply a batch certified by a
 * majority of the committee the registry starts it with; refuse one signed by too few, altered,
 * or naming a command by an untrusted peer; hold a batch past a gap until the gap fills; and
 * answer another peer's catch-up with batches that peer can check alone, split at changes of
 * members.
 */
import { beforeAll, describe, expect, it } from 'vitest'
import { initialTrustedCommittee, type CertifiedBatch } from '../../../src/consensus/index.js'
import { checkByPeerId } from '../../../src/room/peer-signature.js'
import { RoomGovernance } from '../../../src/room/room-governance.js'
import { fixedPeer, LogWriter, type FixedPeer } from './committee-fixture.js'

const ROOM = 'p2pchat/gov'
let trusted: FixedPeer[] = []
let committee: FixedPeer[] = []
let outsider: FixedPeer

beforeAll(async () => {
  trusted = await Promise.all([1, 2, 3, 4, 5].map(fixedPeer))
  outsider = await fixedPeer(9)
  const ranked = initialTrustedCommittee(trusted.map(t => t.id))
  committee = ranked.map(id => trusted.find(t => t.id === id) as FixedPeer)
})

const follower = (): RoomGovernance => new RoomGovernance({ topic: ROOM, trustedPeers: trusted.map(t => t.id), check: checkByPeerId })

describe('room governance', () => {
  it('starts from the committee the registry ranks first, and applies a majority-certified batch', async () => {
    const g = follower()
    expect(g.mode).toBe('trusted')
    expect(g.members).toEqual(committee.map(c => c.id))
    const batch = await new LogWriter(ROOM).noop().command({ type: 'ban', peer: outsider.id, reason: 'spam' }, trusted[4].id).certify(committee.slice(0, 2))
    const outcome = g.offer(batch, committee[0].id)
    expect(outcome).toMatchObject({ applied: 2, behind: false, events: [{ type: 'banned', peer: outsider.id, reason: 'spam', by: trusted[4].id }] })
    expect(g.isBanned(outsider.id)).toBe(true)
    expect(g.lastPublisher).toBe(committee[0].id)
    // The same batch again is no refusal and changes nothing.
    expect(g.offer(batch)).toMatchObject({ applied: 0, events: [] })
  })

  it('refuses too few signatures, an altered entry, a signer outside the committee, and ignores a command by an untrusted peer', async () => {
    const g = follower()
    const one = await new LogWriter(ROOM).command({ type: 'title', text: 'hi' }, trusted[0].id).certify(committee.slice(0, 1))
    expect(g.offer(one).refused).toBe('bad-certificate')
    const stranger = await new LogWriter(ROOM).command({ type: 'title', text: 'hi' }, trusted[0].id).certify([committee[0], outsider])
    expect(g.offer(stranger).refused).toBe('bad-certificate')
    const good = await new LogWriter(ROOM).command({ type: 'title', text: 'hi' }, trusted[0].id).certify(committee.slice(0, 2))
    const altered: CertifiedBatch = { ...good, entries: [{ ...good.entries[0], data: good.entries[0].data.map((b, i) => i === good.entries[0].data.length - 1 ? b ^ 1 : b) }] }
    expect(g.offer(altered).refused).toBe('digest-mismatch')
    expect(g.appliedIndex).toBe(0)
    const untrusted = await new LogWriter(ROOM).command({ type: 'title', text: 'mine now' }, outsider.id).certify(committee.slice(0, 2))
    expect(g.offer(untrusted)).toMatchObject({ applied: 1, events: [] })
    expect(g.governance.view().title).toBe('')
    expect(g.counts().refused).toEqual({ 'bad-certificate': 2, 'digest-mismatch': 1, 'command-ignored': 1 })
  })

  it('holds a batch past a gap, says it is behind, and applies it once the gap fills', async () => {
    const g = follower()
    const log = new LogWriter(ROOM)
    const first = await log.command({ type: 'title', text: 'one' }, trusted[0].id).certify(committee.slice(0, 2))
    const second = await log.command({ type: 'title', text: 'two' }, trusted[0].id).certify(committee.slice(0, 2))
    expect(g.offer(second)).toMatchObject({ applied: 0, behind: true })
    const filled = g.offer(first)
    expect(filled).toMatchObject({ applied: 2, behind: false })
    expect(filled.events.map(e => e.type === 'title' ? e.text : '')).toEqual(['one', 'two'])
  })

  it('answers a catch-up with batches the asker checks alone, one change of members each', async () => {
    const served = follower()
    const log = new LogWriter(ROOM)
    const a = await log.noop().command({ type: 'title', text: 'a' }, trusted[0].id).certify(committee.slice(0, 2))
    // Each change is certified by a majority of the old and of the new committee.
    const added = [...committee.map(c => c.id), trusted.find(t => !committee.includes(t))?.id as string]
    const b = await log.change(added).certify(committee.slice(0, 3))
    const c = await log.command({ type: 'title', text: 'c' }, trusted[0].id).change(committee.map(x => x.id)).certify(committee.slice(0, 3))
    for (const batch of [a, b, c]) expect(served.offer(batch).refused).toBeUndefined()
    expect(served.appliedIndex).toBe(5)

    const asker = follower()
    const answers: number[] = []
    for (let n = 0; n < 10 && asker.appliedIndex < served.appliedIndex; n++) {
      const batch = served.serve(asker.appliedIndex) as CertifiedBatch
      answers.push(batch.certificate.index)
      expect(asker.offer(batch).refused).toBeUndefined()
    }
    expect(asker.appliedIndex).toBe(5)
    // (0, 3] holds one change; (3, 5] the next: never two changes under one certificate.
    expect(answers).toEqual([3, 5])
    expect(asker.governance.view().title).toBe('c')
    expect(served.serve(5)).toBeUndefined()
  })

  it('a room without trusted peers has no committee and refuses every batch', async () => {
    const g = new RoomGovernance({ topic: ROOM, trustedPeers: [], check: checkByPeerId })
    expect(g.mode).toBe('none')
    const batch = await new LogWriter(ROOM).noop().certify(committee.slice(0, 2))
    expect(g.offer(batch).refused).toBe('no-committee')
  })
})
