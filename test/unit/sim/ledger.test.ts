/**
 * The delivery ledger: expected pairs, losses, duplicates shown to a UI, causal
 * order (with gaps and pre-join dependencies excused), late joiners and restarts.
 */
import { describe, expect, it } from 'vitest'
import { DeliveryLedger } from '../../../src/sim/ledger.js'

describe('DeliveryLedger', () => {
  it('counts expected, delivered, lost and duplicates', () => {
    const l = new DeliveryLedger(3, 2, [0, 0, 0])
    l.sent(0, 0, 0, [])
    l.sent(1, 1, 10, [0])
    l.delivered(0, 0, 0)
    l.delivered(1, 0, 5)
    l.delivered(1, 0, 6)
    l.delivered(1, 1, 10)
    l.delivered(0, 1, 30)
    expect(l.progress()).toEqual({ delivered: 2, expected: 4 })
    const t = l.totals()
    expect(t).toMatchObject({ expected: 4, delivered: 2, duplicatesToUi: 1, messagesNotEverywhere: 2, causalViolations: 0 })
  })

  it('flags a delivery before its dependency, unless the dependency was declared lost', () => {
    const l = new DeliveryLedger(3, 3, [0, 0, 0])
    l.sent(0, 0, 0, [])
    l.sent(1, 0, 1, [0])
    l.sent(2, 0, 2, [1])
    l.delivered(1, 1, 5) // before 0
    l.delivered(1, 0, 6)
    l.delivered(2, 2, 5, [1]) // 1 declared lost
    expect(l.totals().causalViolations).toBe(1)
  })

  it('treats a dependency declared lost as an announced gap, even when it arrives later', () => {
    const l = new DeliveryLedger(2, 2, [0, 0])
    l.sent(0, 0, 0, [])
    l.sent(1, 0, 1, [0])
    l.delivered(1, 1, 40_000, [0]) // released without 0
    l.delivered(1, 0, 41_000) // late repair
    expect(l.totals()).toMatchObject({ causalViolations: 0, gapped: 1, delivered: 2 })
  })

  it('expects only what was sent after a late joiner joined, and counts older deliveries as catch-up', () => {
    const l = new DeliveryLedger(2, 2, [0, 100])
    l.sent(0, 0, 50, [])
    l.sent(1, 0, 150, [0])
    expect(l.progress().expected).toBe(0)
    l.started(1, 100)
    l.delivered(1, 1, 160) // its dependency predates the join and never came: excused
    expect(l.totals()).toMatchObject({ expected: 1, delivered: 1, catchUp: 0, causalViolations: 0 })

    const caughtUp = new DeliveryLedger(2, 2, [0, 100])
    caughtUp.sent(0, 0, 50, [])
    caughtUp.sent(1, 0, 150, [0])
    caughtUp.started(1, 100)
    caughtUp.delivered(1, 0, 120) // pre-join history, fetched first
    caughtUp.delivered(1, 1, 160)
    expect(caughtUp.totals()).toMatchObject({ expected: 1, delivered: 1, catchUp: 1, causalViolations: 0 })
  })

  it('starts a fresh UI on restart: a repeat delivery after it is not a duplicate', () => {
    const l = new DeliveryLedger(2, 1, [0, 0])
    l.sent(0, 0, 0, [])
    l.delivered(1, 0, 5)
    l.stopped(1)
    expect(l.progress().expected).toBe(0)
    l.started(1, 100)
    l.delivered(1, 0, 120)
    expect(l.totals()).toMatchObject({ expected: 1, delivered: 1, duplicatesToUi: 0 })
    expect(l.firstAt[1][0]).toBe(5)
  })
})
