/**
 * `/committee` and `/pins` as data: the committee in force, this peer's part in it, and what it
 * decided, with nicks and the pinned lines where this peer holds them.
 */
import { committeeSize } from '../consensus/index.js'
import type { RoomDriver } from './driver.js'
import type { RoomCommittee } from './room-committee.js'
import type { CommitteeView } from './types.js'

/** The view of a room's committee now. */
export function committeeView (driver: RoomDriver, host: RoomCommittee, now: number): CommitteeView {
  const governance = driver.decisions.governance
  const state = governance.governance.view()
  const trusted = [...new Set(driver.options.trustedPeers)]
  const roomSize = driver.roomSize(now)
  const status = host.memberStatus()
  const lines = new Map(driver.history(1_000, now).map(l => [l.id, l]))
  const nick = (peer: string): { nick?: string } => { const n = driver.nickOf(peer); return n === undefined ? {} : { nick: n } }
  const leader = host.leader
  return {
    mode: governance.mode,
    member: host.isMember,
    trustedPeers: trusted,
    members: [...governance.members],
    ...(leader === undefined ? {} : { leader }),
    ...(status === undefined ? {} : { term: status.term, commitIndex: status.commit, snapshotIndex: status.snapshotIndex }),
    appliedIndex: governance.appliedIndex,
    roomSize,
    k: governance.mode === 'none' ? 0 : Math.min(trusted.length, committeeSize(roomSize)),
    title: state.title,
    pins: state.pins.map(messageId => { const line = lines.get(messageId); return line === undefined ? { messageId } : { messageId, line } }),
    banned: state.banned.map(([peer, ban]) => ({ peer, ...nick(peer), reason: ban.reason, by: ban.by, at: ban.at })),
    ...(state.finality === undefined ? {} : { finality: { lamport: state.finality.lamport, digest: state.finality.digest } }),
    refused: governance.counts().refused
  }
}
