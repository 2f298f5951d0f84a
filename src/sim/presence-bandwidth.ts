/**
 * Presence bandwidth measured through the room driver on the model network: every peer
 * runs the driver a live room runs, and presence records travel as the ephemeral chat
 * messages they are on the wire (reliability fields included), with latency and jitter.
 * What each peer receives per minute in steady state is compared with the large-room
 * bound of the presence core.
 */
import { createRandom } from '../shared/index.js'
import { DEFAULT_PRESENCE_OPTIONS, defaultPeerIdToBytes } from '../presence/index.js'
import { ModelNetwork } from './model-network.js'
import { makePeerId, PRESENCE_BOUND_PER_MIN, wireBytes, type PresenceBandwidthRow } from './presence-net.js'

export { PRESENCE_BOUND_PER_MIN, type PresenceBandwidthRow }

const { basePeriodMs, largeRoomThreshold, jitter } = DEFAULT_PRESENCE_OPTIONS
/** Mean interval between announcements is (1 − jitter/2)·period. */
const MEAN_FACTOR = 1 - jitter / 2
/** A realistic clock, so varints have their real sizes. */
const START_AT = 1_750_000_000_000
/** The driver is ticked once a second here: presence works in seconds, and a 10-minute window stays cheap. */
const TICK_MS = 1000

/** Measures the presence records and bytes each peer receives per minute in a room of `peers`, through the room driver. */
export function measurePresenceBandwidthDriven (peers: number, seed: number): PresenceBandwidthRow {
  const random = createRandom(seed)
  const ids = Array.from({ length: peers }, () => makePeerId(random))
  const received = new Map<string, { messages: number, payload: number }>(ids.map(id => [id, { messages: 0, payload: 0 }]))
  let counting = false
  const net = new ModelNetwork({
    seed,
    nodes: [ids[0]],
    channelId: 'p2pchat/general',
    participant: 'driver',
    tickIntervalMs: TICK_MS,
    startAt: START_AT,
    recordDeliveries: false,
    // The production conversion, memoised there: decoding every copy's sender would dominate the run.
    presenceOptions: { peerIdToBytes: defaultPeerIdToBytes },
    onEvent: (node, event) => {
      if (!counting || event.type !== 'in:delivered' || event.message.kind !== 'ephemeral' || event.message.senderId === node) return
      const r = received.get(node) as { messages: number, payload: number }
      r.messages++
      r.payload += event.message.content.byteLength
    }
  })
  const period = Math.max(basePeriodMs, basePeriodMs * peers / largeRoomThreshold)
  // Peers arrive spread over one period (a burst of simultaneous joins would phase-lock everyone).
  const joinEvery = period / peers
  ids.forEach((id, i) => {
    net.at(START_AT + i * joinEvery, () => {
      const node = i === 0 ? net.node(id) : net.join(id)
      node.participant.driver?.setNick(`user${i}`, net.now)
      if (i % 3 === 0) node.participant.driver?.setStatusText('working on the release', net.now)
    })
  })
  net.runUntil(START_AT + 2 * period)
  counting = true
  const window = Math.max(10 * 60_000, 2 * period)
  net.runFor(window)
  const minutes = window / 60_000
  const msgs = ids.map(id => (received.get(id)?.messages ?? 0) / minutes)
  const payload = ids.reduce((s, id) => s + (received.get(id)?.payload ?? 0), 0) / peers / minutes
  const msgsPerMin = msgs.reduce((a, b) => a + b, 0) / peers
  const first = net.node(ids[0]).participant.driver
  const rosters = ids.map(id => net.node(id).participant.driver?.presence.rosterCount(net.now) ?? 0)
  return {
    peers,
    periodS: (first?.presence.status(net.now).periodMs ?? 0) / 1000,
    msgsPerMin: Math.round(msgsPerMin * 10) / 10,
    maxMsgsPerMin: Math.round(Math.max(...msgs) * 10) / 10,
    bytesPerMin: Math.round(payload),
    wireBytesPerMin: Math.round(msgsPerMin * wireBytes(new Uint8Array(Math.round(payload / Math.max(msgsPerMin, 1e-9))))),
    expectedPerMin: Math.round((peers - 1) * 60_000 / (MEAN_FACTOR * period) * 10) / 10,
    minRoster: Math.min(...rosters)
  }
}
