/**
 * Formatting of command output: the `/peers` table, `/status`, `/id` and
 * `/help`, and the column layout they share (the `/who` and `/rooms` tables
 * live in `roster-tables.ts`). Pure; remote strings (nicks, addresses) are
 * sanitised.
 */

import { COMMANDS } from './commands.js'
import { sanitize } from './sanitize.js'
import { shortId } from './short-id.js'
import { createStyler } from './style.js'
import { displayWidth } from './text-width.js'
import { FINAL_MARK, TRUSTED_MARK } from './marks.js'
import type { Styler } from './style.js'
import type { Identity, PeerRow, RoomStatus } from '../session/types.js'

const PLAIN = createStyler(false)

function padEnd (text: string, to: number): string {
  return text + ' '.repeat(Math.max(0, to - displayWidth(text)))
}

/**
 * Rows of cells laid out in columns two spaces apart, without trailing
 * spaces. Widths are terminal columns: colour escapes take none, wide
 * characters two, so styled cells (coloured nicks) line up too.
 */
export function alignColumns (rows: readonly (readonly string[])[]): string[] {
  const widths: number[] = []
  for (const row of rows) row.forEach((cell, i) => { widths[i] = Math.max(widths[i] ?? 0, displayWidth(cell)) })
  return rows.map(row => row.map((cell, i) => padEnd(cell, widths[i])).join('  ').trimEnd())
}

/**
 * The `/peers` table: a header, then one aligned row per peer with short id,
 * nick, address, direction, link (`direct` or `relayed`), ping (`12 ms` or `—`) and topic membership;
 * `no peers connected` when there are none.
 */
export function peersTable (rows: readonly PeerRow[], styler: Styler = PLAIN): string[] {
  if (rows.length === 0) return ['no peers connected']
  const header = ['PEER', 'NICK', 'ADDRESS', 'DIR', 'LINK', 'PING', 'TOPIC']
  const cells = rows.map(r => [
    shortId(r.peerId),
    r.nick === undefined || r.nick === '' ? '—' : sanitize(r.nick),
    sanitize(r.address),
    r.direction === 'inbound' ? 'in' : 'out',
    r.link,
    r.latencyMs === undefined ? '—' : `${Math.round(r.latencyMs)} ms`,
    r.inTopic ? 'yes' : r.noStream === true ? 'no stream' : 'no'
  ])
  const [head, ...body] = alignColumns([header, ...cells])
  return [styler.apply('bold', head), ...body]
}

const mb = (bytes: number): string => `${(bytes / 2 ** 20).toFixed(1)} MB`

/** `/status`: one aligned `key  value` line per counter. */
export function statusLines (status: RoomStatus): string[] {
  const dropped = Object.entries(status.dropped).filter(([, n]) => n > 0)
  return alignColumns([
    ['topic', sanitize(status.topic)],
    ['peer id', sanitize(status.peerId)],
    ['topic peers', String(status.topicPeers)],
    ['connections', String(status.connections)],
    ['lamport', String(status.lamport)],
    ['unacknowledged', String(status.unacknowledged)],
    ['buffered', String(status.buffered)],
    ['missing', String(status.missing)],
    ['lost', String(status.lost)],
    ['pulls', `${status.pullsServed} served, ${status.pullsMade} made`],
    ['resends', `${status.resends.total} (${status.resends.tail} quiet-tail pushes)`],
    ['syncs', `${status.syncs.sent} sent (${status.syncs.acks} acknowledging a quiet room, ${status.syncs.behindAnswers} answering a peer behind)`],
    ['probes', `${status.probes.direct} direct, ${status.probes.indirect} through others; ${status.probes.suspects} suspicions, ${status.probes.deaths} confirmed gone; ${status.probes.suspected} suspected now; ${status.probes.refutations} refuted; health ${status.probes.localHealth}`],
    ['no stream', `${status.noStream} topic peers (gossip streams moved ${status.gossipStreams.moved}, re-opened ${status.gossipStreams.reopened})`],
    ['dropped', dropped.length === 0 ? 'none' : dropped.map(([k, n]) => `${sanitize(k)} ${n}`).join(', ')],
    ...(status.memory === undefined ? [] : [['memory', `${mb(status.memory.rss)} resident, ${mb(status.memory.heapUsed)} heap, ${mb(status.memory.arrayBuffers)} buffers`]])
  ])
}

/** `/id`: the peer id and each dialable address. */
export function identityLines (identity: Identity): string[] {
  const rows = [['peer id', sanitize(identity.peerId)]]
  if (identity.addresses.length === 0) rows.push(['address', 'none yet (not listening)'])
  for (const a of identity.addresses) rows.push(['address', sanitize(a)])
  if (identity.dataDir !== undefined) rows.push(['data dir', sanitize(identity.dataDir)])
  return alignColumns(rows)
}

/** `/help`: every command with usage and description, then a few input tips. */
export function helpLines (): string[] {
  const rows = COMMANDS.map(c => [
    [`/${c.name}`, ...c.aliases.map(a => `/${a}`)].join(', ') + (c.args === '' ? '' : ` ${c.args}`),
    c.description
  ])
  return [
    ...alignColumns(rows),
    'Other lines are sent to the room (after /query, to that peer alone); start a line with // to send one beginning with /.',
    'Tab completes commands, nicks, and room names after /join. Ctrl-C clears the line, or quits on an empty line; Ctrl-D quits.',
    `In lines, ${TRUSTED_MARK} before the sender marks one of the room's trusted peers; in /who and /rooms, * marks you and your room.`,
    `In /history, ${FINAL_MARK} in place of ~ marks a line whose order the room's committee has made final; (late) ends a line that came after that.`
  ]
}
