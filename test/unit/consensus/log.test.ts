/**
 * The Raft log's bookkeeping and the majority arithmetic, on their own: merge keeps matching
 * entries and replaces from the first conflict, never a committed one; compaction and snapshot
 * installs move the boundary; quorums and polls count right.
 */
import { describe, expect, it } from 'vitest'
import { RaftLog } from '../../../src/consensus/log.js'
import { majorityIndex, pollResult, quorumSize } from '../../../src/consensus/quorum.js'
import { singleChange } from '../../../src/consensus/config.js'
import type { Entry } from '../../../src/consensus/index.js'

const entry = (index: number, term: number): Entry => ({ index, term, kind: 'command', data: new Uint8Array([index]) })

describe('RaftLog', () => {
  it('merge keeps what matches and replaces from the first conflicting entry', () => {
    const log = new RaftLog(undefined, [entry(1, 1), entry(2, 1), entry(3, 2)])
    expect(log.merge([entry(2, 1), entry(3, 2)])).toEqual([])
    expect(log.merge([entry(3, 3), entry(4, 3)])).toEqual([entry(3, 3), entry(4, 3)])
    expect([log.lastIndex, log.lastTerm]).toEqual([4, 3])
  })

  it('refuses to replace a committed entry, and changes nothing', () => {
    const log = new RaftLog(undefined, [entry(1, 1), entry(2, 1)])
    log.commit = 2
    expect(log.merge([entry(2, 2)])).toBeUndefined()
    expect(log.termAt(2)).toBe(1)
  })

  it('compaction keeps the boundary term; a snapshot install replaces the whole log', () => {
    const log = new RaftLog(undefined, [entry(1, 1), entry(2, 1), entry(3, 2)])
    log.commit = 3
    log.applied = 3
    log.compact(2)
    expect([log.firstIndex, log.termAt(2), log.termAt(1), log.entry(3)?.term]).toEqual([3, 1, undefined, 2])
    expect(log.slice(1, 3)).toEqual([entry(3, 2)])
    log.restore({ index: 9, term: 4, members: ['a'], data: new Uint8Array() })
    expect([log.lastIndex, log.lastTerm, log.commit, log.applied]).toEqual([9, 4, 9, 9])
  })

  it('is up to date by last term first, then length (Raft §5.4.1)', () => {
    const log = new RaftLog(undefined, [entry(1, 1), entry(2, 2)])
    expect(log.isUpToDate(1, 3)).toBe(true)
    expect(log.isUpToDate(5, 1)).toBe(false)
    expect(log.isUpToDate(2, 2)).toBe(true)
    expect(log.isUpToDate(1, 2)).toBe(false)
  })
})

describe('quorum arithmetic', () => {
  it('counts majorities', () => {
    expect([1, 2, 3, 4, 5, 15].map(quorumSize)).toEqual([1, 2, 2, 3, 3, 8])
    const match: Record<string, number> = { a: 9, b: 4, c: 7, d: 1, e: 7 }
    expect(majorityIndex(Object.keys(match), m => match[m])).toBe(7)
  })

  it('decides a poll as soon as it can', () => {
    const members = ['a', 'b', 'c', 'd']
    expect(pollResult(members, new Map([['a', true], ['b', true]]))).toBe('pending')
    expect(pollResult(members, new Map([['a', true], ['b', true], ['c', true]]))).toBe('won')
    expect(pollResult(members, new Map([['a', true], ['b', false], ['c', false]]))).toBe('lost')
  })

  it('a membership change is exactly one member added or removed', () => {
    expect(singleChange(['a', 'b'], ['a', 'b', 'c'])).toEqual({ added: 'c' })
    expect(singleChange(['a', 'b'], ['a'])).toEqual({ removed: 'b' })
    expect(singleChange(['a', 'b'], ['a', 'c'])).toBeUndefined()
    expect(singleChange(['a', 'b'], ['a', 'b', 'b'])).toBeUndefined()
  })
})
