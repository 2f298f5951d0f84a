import { describe, expect, it } from 'vitest'
import { DEFAULT_PRESENCE_OPTIONS } from '../../../src/presence/index.js'
import { PresenceNet, wireBytes } from './harness.js'

const { basePeriodMs, largeRoomThreshold, jitter } = DEFAULT_PRESENCE_OPTIONS
/** Mean interval between announcements is (1 − jitter/2)·period. */
const MEAN_FACTOR = 1 - jitter / 2
/** What any peer receives per minute at most, in steady state, whatever the room size. */
const BOUND_PER_MIN = largeRoomThreshold * 60_000 / (MEAN_FACTOR * basePeriodMs)

interface Row { peers: number, periodS: number, msgsPerMin: number, maxMsgsPerMin: number, bytesPerMin: number, wireBytesPerMin: number, expectedPerMin: number, minRoster: number }

function measure (peers: number, seed: number): Row {
  const net = new PresenceNet({ seed, keepEvents: false, startAt: 1_750_000_000_000, presence: { client: 'p2pchat/0.1.0' } })
  const period = Math.max(basePeriodMs, basePeriodMs * peers / largeRoomThreshold)
  // Peers arrive spread over one period (a burst of simultaneous joins would phase-lock everyone).
  const joinEvery = Math.max(1, Math.floor(period / peers / net.opts.stepMs)) * net.opts.stepMs
  for (let i = 0; i < peers; i++) {
    const [node] = net.addJoined(1, { nick: `user${i}` })
    node.presence.setStatus(i % 3 === 0 ? 'working on the release' : '', net.now)
    net.flush(node)
    if ((i + 1) % Math.max(1, Math.round(peers * joinEvery / period)) === 0) net.runFor(joinEvery)
  }
  net.runFor(period)
  net.resetTraffic()
  const window = Math.max(10 * 60_000, 2 * period)
  net.runFor(window)
  const minutes = window / 60_000
  const msgs = net.nodes.map((n) => n.received.messages / minutes)
  const bytes = net.nodes.reduce((s, n) => s + n.received.bytes, 0) / peers / minutes
  const msgsPerMin = msgs.reduce((a, b) => a + b, 0) / peers
  const avgPayload = bytes / msgsPerMin
  return {
    peers,
    periodS: net.nodes[0].presence.status(net.now).periodMs / 1000,
    msgsPerMin: Math.round(msgsPerMin * 10) / 10,
    maxMsgsPerMin: Math.round(Math.max(...msgs) * 10) / 10,
    bytesPerMin: Math.round(bytes),
    wireBytesPerMin: Math.round(msgsPerMin * wireBytes(new Uint8Array(Math.round(avgPayload)))),
    expectedPerMin: Math.round((peers - 1) * 60_000 / (MEAN_FACTOR * period) * 10) / 10,
    minRoster: Math.min(...net.nodes.map((n) => n.presence.rosterCount(net.now)))
  }
}

describe('presence bandwidth: the large-room rule', () => {
  it('bounds what each peer receives per minute at 10, 100 and 300 peers (1,000 in the benchmark)', () => {
    const rows = [measure(10, 10), measure(100, 100), measure(300, 300)]
    console.log(`steady-state bound: ${BOUND_PER_MIN.toFixed(1)} records per peer per minute`)
    console.table(rows)
    for (const row of rows) {
      // Everyone still tracks everyone.
      expect(row.minRoster).toBe(row.peers)
      expect(row.maxMsgsPerMin).toBeLessThanOrEqual(BOUND_PER_MIN * 1.1)
      // And the measured rate is what the period predicts.
      expect(Math.abs(row.msgsPerMin - row.expectedPerMin) / row.expectedPerMin).toBeLessThan(0.1)
    }
    // Below the threshold traffic grows with the room; above it it stays flat.
    expect(rows[0].msgsPerMin).toBeLessThan(25)
    expect(Math.abs(rows[2].msgsPerMin - rows[1].msgsPerMin) / rows[1].msgsPerMin).toBeLessThan(0.1)
  }, 180_000)
})
