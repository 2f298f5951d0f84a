/**
 * The consensus core under bad input and bad requests: a malformed, misaddressed or stale
 * message is dropped and counted, never thrown; requests a follower cannot serve fail with a
 * coded error; options are validated.
 */
import { describe, expect, it } from 'vitest'
import { RaftCore, type Message } from '../../../src/consensus/index.js'
import { isP2pchatError } from '../../../src/errors.js'

function follower (): RaftCore {
  return new RaftCore({ id: 'b', members: ['a', 'b', 'c'] }, 0)
}

describe('RaftCore input', () => {
  it('drops and counts malformed, misaddressed and forged appends without changing state', () => {
    const core = follower()
    const bad: Message[] = [
      { type: 'append', from: 'a', to: 'c', term: 1, prevIndex: 0, prevTerm: 0, entries: [], commit: 0 },
      { type: 'append', from: 'a', to: 'b', term: -1, prevIndex: 0, prevTerm: 0, entries: [], commit: 0 },
      { type: 'append', from: 'a', to: 'b', term: 1, prevIndex: 0, prevTerm: 0, entries: [{ index: 5, term: 1, kind: 'command', data: new Uint8Array() }], commit: 0 },
      { type: 'append', from: 'a', to: 'b', term: 1, prevIndex: 0, prevTerm: 0, entries: [{ index: 1, term: 2, kind: 'command', data: new Uint8Array() }], commit: 0 },
      { type: 'append', from: 'a', to: 'b', term: 1, prevIndex: 0, prevTerm: 0, entries: [{ index: 1, term: 1, kind: 'config', data: new Uint8Array() }], commit: 0 },
      { type: 'snapshot', from: 'a', to: 'b', term: 1, snapshot: { index: 3, term: 1, members: [], data: new Uint8Array() } }
    ]
    for (const m of bad) expect(() => core.step(m, 10)).not.toThrow()
    expect(core.status()).toMatchObject({ term: 0, lastIndex: 0, dropped: { misaddressed: 1, malformed: 5 } })
  })

  it('answers a stale leader with its newer term, so the stale leader steps down', () => {
    const core = new RaftCore({ id: 'b', members: ['a', 'b', 'c'], storage: { hardState: { term: 5, commit: 0 } } }, 0)
    core.step({ type: 'append', from: 'a', to: 'b', term: 3, prevIndex: 0, prevTerm: 0, entries: [], commit: 0 }, 10)
    expect(core.ready().messages).toEqual([{ type: 'append-response', from: 'b', to: 'a', term: 5, success: false, index: 0 }])
    expect(core.status().dropped).toEqual({ 'stale-term': 1 })
  })

  it('a follower refuses proposals and membership changes with NOT_LEADER', () => {
    const core = follower()
    expect(() => core.propose(new Uint8Array([1]))).toThrow(expect.objectContaining({ code: 'NOT_LEADER' }))
    let caught: unknown
    try { core.changeMembers(['a', 'b']) } catch (err) { caught = err }
    expect(isP2pchatError(caught, 'NOT_LEADER')).toBe(true)
  })

  it('a lone member elects itself, commits at once, and refuses a change of two members', () => {
    const core = new RaftCore({ id: 'a', members: ['a'] }, 0)
    core.tick(2_000)
    expect(core.status()).toMatchObject({ role: 'leader', term: 1, commit: 1 })
    expect(core.propose(new Uint8Array([7]))).toBe(2)
    expect(core.ready().committed.map(e => e.kind)).toEqual(['noop', 'command'])
    expect(() => core.changeMembers(['a', 'b', 'c'])).toThrow(expect.objectContaining({ code: 'INVALID_ARGUMENT' }))
  })

  it('validates its options', () => {
    expect(() => new RaftCore({ id: 'a', members: ['a'], electionTimeoutMs: 50, heartbeatIntervalMs: 100 }, 0)).toThrow(/must exceed heartbeatIntervalMs/)
    expect(() => new RaftCore({ id: 'a', members: ['a'], maxEntriesPerAppend: 0 }, 0)).toThrow(expect.objectContaining({ code: 'INVALID_OPTION' }))
  })
})

describe('RaftCore.campaignNow', () => {
  it('polls at once with a pre-vote at the next term, without raising its own term', () => {
    const core = new RaftCore({ id: 'a', members: ['a', 'b', 'c'] }, 0)
    core.campaignNow(10)
    expect(core.status()).toMatchObject({ role: 'pre-candidate', term: 0 })
    expect(core.ready().messages.map(m => `${m.type} ${m.to} ${m.term}`)).toEqual(['pre-vote b 1', 'pre-vote c 1'])
    const outsider = new RaftCore({ id: 'z', members: ['a', 'b', 'c'] }, 0)
    outsider.campaignNow(10)
    expect(outsider.status().role).toBe('follower')
  })
})

describe('log repair', () => {
  it('a leader repairs a follower whose uncommitted tail conflicts, in a few round trips (no livelock)', () => {
    const e = (index: number, term: number): { index: number, term: number, kind: 'command', data: Uint8Array } => ({ index, term, kind: 'command', data: new Uint8Array([index, term]) })
    const a = new RaftCore({ id: 'a', members: ['a', 'b'], storage: { hardState: { term: 1, commit: 2 }, entries: [e(1, 1), e(2, 1), e(3, 1), e(4, 1)] } }, 0)
    const b = new RaftCore({ id: 'b', members: ['a', 'b'], storage: { hardState: { term: 2, vote: 'b', commit: 2 }, entries: [e(1, 1), e(2, 1), e(3, 2), e(4, 2)] } }, 0)
    const cores = new Map([['a', a], ['b', b]])
    b.campaignNow(10)
    let delivered = 0
    for (let round = 0; round < 100; round++) {
      const batch = [...cores.values()].flatMap(c => c.ready().messages)
      if (batch.length === 0) break
      for (const m of batch) { cores.get(m.to)?.step(m, 10); delivered++ }
    }
    expect(b.status()).toMatchObject({ role: 'leader', commit: 5 })
    expect(a.status()).toMatchObject({ lastIndex: 5 })
    // pre-votes, votes, then at most a few appends and answers for each conflicting entry.
    expect(delivered).toBeLessThan(20)
  })
})

/** Makes `core` (id b, members a, b, c) leader of the term after its own, by answering its polls as a. */
function electB (core: RaftCore): number {
  core.campaignNow(10)
  const term = core.status().term + 1
  core.step({ type: 'pre-vote-response', from: 'a', to: 'b', term, granted: true }, 10)
  core.step({ type: 'vote-response', from: 'a', to: 'b', term, granted: true }, 10)
  expect(core.status()).toMatchObject({ role: 'leader', term })
  core.ready()
  return term
}

describe('Raft rules the random schedules rarely reach', () => {
  const e = (index: number, term: number): { index: number, term: number, kind: 'command', data: Uint8Array } => ({ index, term, kind: 'command', data: new Uint8Array([index]) })

  it('a leader never commits an entry of an earlier term by counting replicas (Raft figure 8)', () => {
    const b = new RaftCore({ id: 'b', members: ['a', 'b', 'c'], storage: { hardState: { term: 2, commit: 1 }, entries: [e(1, 1), e(2, 2)] } }, 0)
    const term = electB(b) // appends its noop at 3
    b.step({ type: 'append-response', from: 'a', to: 'b', term, success: true, index: 2 }, 20)
    expect(b.status().commit).toBe(1) // 2 is on a majority, but of term 2
    b.step({ type: 'append-response', from: 'a', to: 'b', term, success: true, index: 3 }, 30)
    expect(b.status().commit).toBe(3) // its own entry commits, and 2 with it
  })

  it('a follower never commits past what it just matched with the leader, whatever the leader\'s commit', () => {
    const a = new RaftCore({ id: 'a', members: ['a', 'b', 'c'], storage: { hardState: { term: 1, commit: 1 }, entries: [e(1, 1), e(2, 1), e(3, 1), e(4, 1)] } }, 0)
    a.step({ type: 'append', from: 'b', to: 'a', term: 2, prevIndex: 1, prevTerm: 1, entries: [], commit: 4 }, 10)
    expect(a.status().commit).toBe(1)
    expect(a.ready().committed).toEqual([e(1, 1)])
  })

  it('a new leader makes no membership change before an entry of its own term commits (the single-server errata)', () => {
    const b = new RaftCore({ id: 'b', members: ['a', 'b', 'c'], storage: { hardState: { term: 1, commit: 1 }, entries: [e(1, 1)] } }, 0)
    const term = electB(b)
    expect(() => b.changeMembers(['a', 'b'])).toThrow(expect.objectContaining({ code: 'CHANGE_PENDING' }))
    b.step({ type: 'append-response', from: 'a', to: 'b', term, success: true, index: 2 }, 20)
    expect(b.changeMembers(['a', 'b'])).toBe(3)
    expect(() => b.changeMembers(['b'])).toThrow(expect.objectContaining({ code: 'CHANGE_PENDING' }))
  })
})
