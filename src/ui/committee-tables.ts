/**
 * The `/committee` table: one aligned `key  value` row per fact about the room's committee,
 * and the one row that says a room has none. Pure; nicks are sanitised, peers without a known
 * nick show their short id.
 */

import { alignColumns } from './tables.js'
import { clockSeconds } from './governance-lines.js'
import { sanitize } from './sanitize.js'
import { shortId } from './short-id.js'
import type { CommitteeView } from '../session/types.js'

/** How many banned peers `/committee` names before `and N more`. */
const BANNED_NAMED = 5

/** A peer as the table shows it: its nick, else its short id. */
function name (peerId: string, nicks: ReadonlyMap<string, string>): string {
  const nick = nicks.get(peerId)
  return nick === undefined || nick === '' ? shortId(peerId) : sanitize(nick)
}

/** The members, the leader and you marked: `alice (you, leader), carol, 12D3…9abc`. */
function membersCell (view: CommitteeView, nicks: ReadonlyMap<string, string>, self: string): string {
  if (view.members.length === 0) return '—'
  return view.members.map(id => {
    const marks = [id === self ? 'you' : '', id === view.leader ? 'leader' : ''].filter(m => m !== '')
    return marks.length === 0 ? name(id, nicks) : `${name(id, nicks)} (${marks.join(', ')})`
  }).join(', ')
}

function bansCell (view: CommitteeView, nicks: ReadonlyMap<string, string>): string {
  if (view.banned.length === 0) return '0'
  const named = view.banned.slice(0, BANNED_NAMED).map(b => b.nick !== undefined && b.nick !== '' ? sanitize(b.nick) : name(b.peer, nicks))
  const more = view.banned.length > BANNED_NAMED ? ` and ${view.banned.length - BANNED_NAMED} more` : ''
  return `${view.banned.length}: ${named.join(', ')}${more}`
}

/**
 * `/committee`: mode, membership, members (leader marked), Raft term and commit index (a
 * member's), applied index, N and k, title, pins, bans, how far the order is final, and the
 * refused decisions when there were any. `nicks` maps peer ids to nicks, `self` is our peer id,
 * `now` dates the finality time when it is not today.
 */
export function committeeLines (view: CommitteeView, nicks: ReadonlyMap<string, string>, self: string, now: number): string[] {
  if (view.mode === 'none') {
    return alignColumns([['committee', 'none: this room has no committee: only registry rooms with trusted peers run one']])
  }
  const refused = Object.entries(view.refused).filter(([, n]) => n > 0)
  return alignColumns([
    ['committee', 'trusted: its decisions are authoritative'],
    ['you', view.member ? 'a member (you vote on its decisions)' : 'not a member (you follow its certified decisions)'],
    ['members', membersCell(view, nicks, self)],
    ...(view.term === undefined ? [] : [['term', String(view.term)]]),
    ...(view.commitIndex === undefined ? [] : [['commit index', String(view.commitIndex)]]),
    ...(view.snapshotIndex === undefined || view.snapshotIndex === 0 ? [] : [['log compacted to', String(view.snapshotIndex)]]),
    ['applied index', String(view.appliedIndex)],
    ['size', `k = ${view.k} members for a room of N = ${view.roomSize} (${view.trustedPeers.length} trusted peers)`],
    ['title', view.title === '' ? '—' : sanitize(view.title)],
    ['pins', view.pins.length === 0 ? '0' : `${view.pins.length} (/pins lists them)`],
    ['bans', bansCell(view, nicks)],
    ['final up to', view.finality === undefined ? 'nothing yet' : clockSeconds(view.finality.lamport, now)],
    ...(refused.length === 0 ? [] : [['refused', refused.map(([reason, n]) => `${sanitize(reason)} ${n}`).join(', ')]])
  ])
}
