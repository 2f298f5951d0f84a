import { describe, expect, it } from 'vitest'
import { RedialSchedule, DEFAULT_REDIAL_OPTIONS } from '../../../src/discovery/lost-peer-redialer.js'

const schedule = (over: Partial<ConstructorParameters<typeof RedialSchedule>[0]> = {}): RedialSchedule =>
  new RedialSchedule({ ...DEFAULT_REDIAL_OPTIONS, backoff: { initialMs: 500, factor: 2, maxMs: 2000, jitter: 0 }, ...over })

describe('RedialSchedule', () => {
  it('defaults: first attempt after 500 ms, then every second, give up after 5 minutes', () => {
    expect(DEFAULT_REDIAL_OPTIONS.backoff).toMatchObject({ initialMs: 500, factor: 2, maxMs: 1000 })
    expect(DEFAULT_REDIAL_OPTIONS.yieldMs).toBe(1000)
    expect(DEFAULT_REDIAL_OPTIONS.giveUpAfterMs).toBe(300_000)
  })

  it('is due after the backoff, in flight until reported, then backs off 1 s, 2 s, 2 s', () => {
    const s = schedule()
    s.lost('a', 0)
    expect(s.takeDue(499)).toEqual([])
    expect(s.takeDue(500)).toEqual(['a'])
    expect(s.takeDue(10_000)).toEqual([]) // in flight: not handed out twice
    s.failed('a', 600)
    expect(s.takeDue(1_599)).toEqual([])
    expect(s.takeDue(1_600)).toEqual(['a'])
    s.failed('a', 1_700)
    expect(s.takeDue(3_700)).toEqual(['a'])
    s.failed('a', 3_800)
    expect(s.takeDue(5_799)).toEqual([])
    expect(s.takeDue(5_800)).toEqual(['a']) // capped at 2 s
  })

  it('a second loss of a tracked peer keeps its schedule; forget ends it', () => {
    const s = schedule()
    s.lost('a', 0)
    s.lost('a', 400)
    expect(s.takeDue(500)).toEqual(['a'])
    s.forget('a')
    s.failed('a', 600) // a late report about a forgotten peer is ignored
    expect(s.size).toBe(0)
    expect(s.takeDue(100_000)).toEqual([])
  })

  it('gives a peer up after giveUpAfterMs', () => {
    const s = schedule({ giveUpAfterMs: 10_000 })
    s.lost('a', 0)
    expect(s.takeDue(500)).toEqual(['a'])
    s.failed('a', 500)
    expect(s.takeDue(10_001)).toEqual([])
    expect(s.has('a')).toBe(false)
  })

  it('tracks at most maxPeers: the longest-lost is given up first', () => {
    const s = schedule({ maxPeers: 2 })
    s.lost('a', 0)
    s.lost('b', 1)
    s.lost('c', 2)
    expect(s.size).toBe(2)
    expect(s.has('a')).toBe(false)
    expect(s.takeDue(1_000).sort()).toEqual(['b', 'c'])
  })
})

describe('RedialSchedule: the end that yields', () => {
  it('waits extraDelayMs more before its first attempt only', () => {
    const s = schedule()
    s.lost('b', 0, 2_000)
    expect(s.takeDue(2_499)).toEqual([])
    expect(s.takeDue(2_500)).toEqual(['b'])
    s.failed('b', 2_500)
    expect(s.takeDue(3_500)).toEqual(['b'])
  })
})
