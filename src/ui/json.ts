/**
 * The `--json` Renderer: NDJSON, one JSON object per line, for scripts.
 * Every object has a `type`; fields marked `?` are omitted when absent. Strings
 * are the exact values (not sanitised), but every character a terminal would
 * act on is written as a `\uXXXX` escape, so the raw stream is safe to view.
 *
 * | type         | fields                                                                                          | when |
 * |--------------|-------------------------------------------------------------------------------------------------|------|
 * | `message`    | `id`, `from` (peer id), `nick`, `text`, `action` (bool), `lamport` (ms), `sentAt` (when sent: the lamport, never after `receivedAt`, ms since epoch), `receivedAt` (when this peer delivered it, ms), `ts` (= `sentAt`), `time` (ISO 8601 of `ts`), `own` (bool), `state`?, `outOfOrder`? (true), `gapBefore`? (ids lost just before), `history`? (true), `trusted`? (true: the sender is one of the room's trusted peers), `nickTag`? (set when another peer uses the same nick: the sender's tag, the last 4 characters of its peer id), `final`? (true: the committee made the order final up to this line), `late`? (true: it arrived after the order was final past it) | a chat line is delivered |
 * | `state`      | `id`, `state` (`pending` \| `sent` \| `confirmed` \| `not-confirmed`)                           | an own message changes state |
 * | `peer-join`  | `peerId`, `nick`?                                                                               | a peer joins the topic |
 * | `peer-leave` | `peerId`, `nick`?                                                                               | a peer leaves the topic |
 * | `room`       | `name` (the room now active), `previous` (the room left), `private`? (true: only holders of its invite can find or read it) | the active room changed (`/join`, `/leave`, `/rekey`) |
 * | `roster`     | `joined`, `left`, `changed`: arrays of roster entries `{ peerId, nick, status, away, client, joinedAt, lastSeen, direct, self }` | the presence roster changed |
 * | `notice`     | `level` (`info` \| `warn` \| `error`), `text`                                                   | a session notice; also "connecting to …", "census running…", "already in room …" |
 * | `connected`  | `multiaddr`, `peerId`                                                                           | `/connect` succeeded |
 * | `nick`       | `nick`                                                                                          | `/nick` succeeded |
 * | `peers`      | `peers`: array of `{ peerId, nick?, address, direction, link, latencyMs?, inTopic, noStream? }`  | `/peers` |
 * | `id`         | `peerId`, `addresses` (array of multiaddrs)                                                     | `/id` |
 * | `status`     | `topic`, `peerId`, `topicPeers`, `connections`, `lamport`, `unacknowledged`, `buffered`, `missing`, `lost`, `pullsServed`, `pullsMade`, `noStream`, `gossipStreams` (`moved`, `reopened`, `keptPeers`), `memory` (`rss`, `heapTotal`, `heapUsed`, `external`, `arrayBuffers`, bytes), `dropped` (object: reason → count) | `/status` |
 * | `history`    | `messages`: array of message objects (the `message` fields without `type`)                      | `/history [n] [skip]` |
 * | `lastlog`    | `text` (as searched), `total` (matches), `messages` (the last matches, as in `history`)         | `/lastlog <text>` |
 * | `rooms`      | `rooms`: array of `{ name, desc, rendezvous, trustedPeers (array of peer ids), joined (bool), private? (true) }` | `/rooms` |
 * | `invite`     | `room`, `invite` (`p2pchat:room/<name>#<key>`: whoever holds it can find and read the room, its history too) | `/invite` |
 * | `rekey`      | `room`, `invite` (the new one, also said in the old room to its members)                        | `/rekey` moved the room to a new key (a `room` event came first) |
 * | `invite-seen`| `from` (peer id), `room`, `invite`                                                              | another peer's room line (the `message` just before) holds an invite to a room other than this one |
 * | `who`        | `roster`: array of roster entries (fields as in `roster`), most recently active first; all of them, uncut | `/who` |
 * | `status-text`| `text` (the new status text; `""` when cleared)                                                 | `/status <text>`, `/status -` |
 * | `away`       | `away` (bool, the new state)                                                                    | `/away` |
 * | `census`     | `estimate`, `low`, `high` (95% CI), `replies`, `p`, `rosterCount`, `durationMs`; numbers unrounded | `/census` finished (a `notice` "census running…" comes first) |
 * | `governance` | `kind` (`banned` \| `unbanned` \| `title` \| `pinned` \| `unpinned` \| `final`), then by kind: `peer`, `nick`?, `reason` (banned), `self` (banned, unbanned); `text` (title); `messageId`, `line`? (a message object without `type`; pinned, unpinned); `by`, `byNick`? (all but final); `lamport`, `digest`, `agree`? (final); `earlier`? (true: caught up on, decided before we learned of it) | the committee decided something (every finality checkpoint too) |
 * | `govern`     | `kind` (`ban` \| `unban` \| `title` \| `pin` \| `unpin`), `peer` (ban, unban), `reason` (ban), `text` (title), `messageId` (pin, unpin) | the committee's leader took `/ban`, `/unban`, `/title`, `/pin`, `/unpin` |
 * | `committee`  | `mode` (`trusted` \| `none`), `member`, `trustedPeers`, `members`, `leader`?, `term`?, `commitIndex`?, `snapshotIndex`?, `appliedIndex`, `roomSize`, `k`, `title`, `pins` (as in `pins`), `banned` (array of `{ peer, nick?, reason, by, at }`), `finality`? (`{ lamport, digest }`), `refused` (object: reason → count) | `/committee` |
 * | `pins`       | `pins`: array of `{ messageId, line? }` (`line`: a message object without `type`, when stored here) | `/pins` |
 * | `dm`         | `id`, `from`, `to` (peer ids), `peer` (the other party), `nick` (the sender's), `text`, `action`, `sentAt` (sender's clock, ms), `receivedAt` (ms; own: when sent), `time` (ISO 8601 of `sentAt`), `own`, `state`? (own: `pending` \| `delivered` \| `expired`) | a direct message was sent or received |
 * | `dm-state`   | `id`, `peer`, `state` (`pending` \| `delivered` \| `expired`)                                   | an own direct message changes state |
 * | `query`      | `peer`?, `nick`?, `messages` (the conversation's last messages, `dm` objects without `type`; empty after `/back`) | `/query` opened a conversation (`peer` set), `/back` closed it |
 * | `dms`        | `conversations`: array of `{ peer, nick?, last (ms), pending }`, newest first                   | `/dms` |
 * | `ignored`    | `peers`: array of `{ peer, nick? }`                                                             | `/ignore`, and after `/ignore <peer>` and `/unignore <peer>` (the list as it now is) |
 * | `help`       | `commands`: array of `{ name, aliases, args, description }`                                     | `/help` |
 * | `error`      | `text`, `code`? (a P2pchatError code)                                                           | a command failed or was unknown |
 */

import { COMMANDS } from './commands.js'
import type { Renderer } from './renderer.js'
import type { ChatLine, CommitteeView, DirectLine, GovernAction, GovernanceNotice, RosterEntry } from '../session/types.js'
import type { NamedPeer } from './direct-lines.js'

/** A JSON value as this module writes it. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue | undefined }

/** The `message` fields of a chat line (without `type`). */
export interface JsonMessage {
  [key: string]: JsonValue | undefined
  id: string
  from: string
  nick: string
  text: string
  action: boolean
  lamport: number
  sentAt: number
  receivedAt: number
  ts: number
  time: string
  own: boolean
  state?: string
  outOfOrder?: true
  gapBefore?: string[]
  history?: true
  trusted?: true
  nickTag?: string
  final?: true
  late?: true
}

/** Characters JSON.stringify leaves raw that a terminal may act on: DEL, C1 controls, line separators, bidi controls. */
const UNSAFE = /[\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g

/** `value` as one NDJSON line (no newline); terminal-unsafe characters escaped as `\uXXXX`. */
export function toJsonLine (value: { [key: string]: JsonValue | undefined }): string {
  return JSON.stringify(value).replace(UNSAFE, ch => `\\u${ch.charCodeAt(0).toString(16).padStart(4, '0')}`)
}

/** The documented `message` fields of `line`. */
export function messageFields (line: ChatLine): JsonMessage {
  const out: JsonMessage = {
    id: line.id,
    from: line.from,
    nick: line.nick,
    text: line.text,
    action: line.action,
    lamport: line.lamport,
    ts: line.sentAt,
    time: new Date(line.sentAt).toISOString(),
    sentAt: line.sentAt,
    receivedAt: line.receivedAt,
    own: line.own
  }
  if (line.state !== undefined) out.state = line.state
  if (line.outOfOrder === true) out.outOfOrder = true
  if (line.gapBefore !== undefined && line.gapBefore.length > 0) out.gapBefore = [...line.gapBefore]
  if (line.history === true) out.history = true
  if (line.trusted === true) out.trusted = true
  if (line.nickTag !== undefined) out.nickTag = line.nickTag
  if (line.final === true) out.final = true
  if (line.late === true) out.late = true
  return out
}

/** The documented `dm` fields of a direct message (without `type`). */
export function directFields (line: DirectLine): { [key: string]: JsonValue | undefined } {
  return {
    id: line.id,
    from: line.from,
    to: line.to,
    peer: line.peer,
    nick: line.nick,
    text: line.text,
    action: line.action,
    sentAt: line.sentAt,
    receivedAt: line.receivedAt,
    time: new Date(line.sentAt).toISOString(),
    own: line.own,
    state: line.state
  }
}

/** `{ peer, nick? }`. */
function namedFields ({ peer, nick }: NamedPeer): { [key: string]: JsonValue | undefined } {
  return { peer, nick }
}

/** The documented fields of a pin: `{ messageId, line? }`. */
function pinFields (pin: CommitteeView['pins'][number]): { [key: string]: JsonValue | undefined } {
  return { messageId: pin.messageId, line: pin.line === undefined ? undefined : messageFields(pin.line) }
}

/** The documented `governance` fields of a committee decision (`kind` for its type). */
export function governanceFields (notice: GovernanceNotice): { [key: string]: JsonValue | undefined } {
  return { ...decisionFields(notice), earlier: notice.earlier }
}

function decisionFields (notice: GovernanceNotice): { [key: string]: JsonValue | undefined } {
  switch (notice.type) {
    case 'banned': return { kind: 'banned', peer: notice.peer, nick: notice.nick, reason: notice.reason, by: notice.by, byNick: notice.byNick, self: notice.self }
    case 'unbanned': return { kind: 'unbanned', peer: notice.peer, nick: notice.nick, by: notice.by, byNick: notice.byNick, self: notice.self }
    case 'title': return { kind: 'title', text: notice.text, by: notice.by, byNick: notice.byNick }
    case 'pinned':
    case 'unpinned': return { kind: notice.type, messageId: notice.messageId, line: notice.line === undefined ? undefined : messageFields(notice.line), by: notice.by, byNick: notice.byNick }
    case 'final': return { kind: 'final', lamport: notice.lamport, digest: notice.digest, agree: notice.agree }
  }
}

/** The documented `govern` fields of a request (`kind` for its type). */
function governFields (action: GovernAction): { [key: string]: JsonValue | undefined } {
  const { type, ...fields } = action
  return { kind: type, ...fields }
}

/** The documented `committee` fields of a committee view. */
function committeeFields (view: CommitteeView): { [key: string]: JsonValue | undefined } {
  return {
    mode: view.mode,
    member: view.member,
    trustedPeers: [...view.trustedPeers],
    members: [...view.members],
    leader: view.leader,
    term: view.term,
    commitIndex: view.commitIndex,
    snapshotIndex: view.snapshotIndex,
    appliedIndex: view.appliedIndex,
    roomSize: view.roomSize,
    k: view.k,
    title: view.title,
    pins: view.pins.map(pinFields),
    banned: view.banned.map(b => ({ peer: b.peer, nick: b.nick, reason: b.reason, by: b.by, at: b.at })),
    finality: view.finality === undefined ? undefined : { lamport: view.finality.lamport, digest: view.finality.digest },
    refused: { ...view.refused }
  }
}

/** The documented fields of a roster entry. */
export function rosterFields (e: RosterEntry): { [key: string]: JsonValue } {
  return { peerId: e.peerId, nick: e.nick, status: e.status, away: e.away, client: e.client, joinedAt: e.joinedAt, lastSeen: e.lastSeen, direct: e.direct, self: e.self }
}

const one = (value: { [key: string]: JsonValue | undefined }): string[] => [toJsonLine(value)]

/** The NDJSON Renderer: exactly one line per event or command result. */
export function createJsonRenderer (): Renderer {
  return {
    message: line => one({ type: 'message', ...messageFields(line) }),
    messageState: ({ id, state }) => one({ type: 'state', id, state }),
    peerJoin: ({ peerId, nick }) => one({ type: 'peer-join', peerId, nick }),
    peerLeave: ({ peerId, nick }) => one({ type: 'peer-leave', peerId, nick }),
    roomChange: ({ name, previous }, privateRoom = false) => one({ type: 'room', name, previous, private: privateRoom ? true : undefined }),
    rosterChange: ({ joined, left, changed }) => one({ type: 'roster', joined: joined.map(rosterFields), left: left.map(rosterFields), changed: changed.map(rosterFields) }),
    notice: ({ level, text }) => one({ type: 'notice', level, text }),
    connecting: multiaddr => one({ type: 'notice', level: 'info', text: `connecting to ${multiaddr}` }),
    connected: (multiaddr, peerId) => one({ type: 'connected', multiaddr, peerId }),
    nickChanged: nick => one({ type: 'nick', nick }),
    error: (text, code) => one({ type: 'error', text, code }),
    peers: rows => one({
      type: 'peers',
      peers: rows.map(r => ({ peerId: r.peerId, nick: r.nick, address: r.address, direction: r.direction, link: r.link, latencyMs: r.latencyMs, inTopic: r.inTopic, ...(r.noStream === true ? { noStream: true } : {}) }))
    }),
    identity: ({ peerId, addresses }) => one({ type: 'id', peerId, addresses: [...addresses] }),
    status: s => one({ type: 'status', ...s, dropped: { ...s.dropped } }),
    history: lines => one({ type: 'history', messages: lines.map(messageFields) }),
    lastlog: (lines, text, total) => one({ type: 'lastlog', text, total, messages: lines.map(messageFields) }),
    help: () => one({
      type: 'help',
      commands: COMMANDS.map(c => ({ name: c.name, aliases: [...c.aliases], args: c.args, description: c.description }))
    }),
    rooms: rooms => one({
      type: 'rooms',
      rooms: rooms.map(r => ({ name: r.name, desc: r.desc, rendezvous: r.rendezvous, trustedPeers: [...r.trustedPeers], joined: r.joined, private: r.private }))
    }),
    invite: (room, invite) => one({ type: 'invite', room, invite }),
    rekeyed: (room, invite) => one({ type: 'rekey', room, invite }),
    inviteSeen: (line, room, invite) => one({ type: 'invite-seen', from: line.from, room, invite }),
    who: entries => one({ type: 'who', roster: entries.map(rosterFields) }),
    alreadyInRoom: name => one({ type: 'notice', level: 'info', text: `already in room ${name}` }),
    statusText: text => one({ type: 'status-text', text }),
    away: away => one({ type: 'away', away }),
    censusStarted: () => one({ type: 'notice', level: 'info', text: 'census running…' }),
    census: r => one({ type: 'census', estimate: r.estimate, low: r.low, high: r.high, replies: r.replies, p: r.p, rosterCount: r.rosterCount, durationMs: r.durationMs }),
    governance: notice => one({ type: 'governance', ...governanceFields(notice) }),
    governed: action => one({ type: 'govern', ...governFields(action) }),
    committee: view => one({ type: 'committee', ...committeeFields(view) }),
    pins: pins => one({ type: 'pins', pins: pins.map(pinFields) }),
    direct: line => one({ type: 'dm', ...directFields(line) }),
    directState: ({ id, peer, state }) => one({ type: 'dm-state', id, peer, state }),
    query: (peer, _room, recent = []) => one({ type: 'query', peer: peer?.peer, nick: peer?.nick, messages: recent.map(directFields) }),
    conversations: list => one({ type: 'dms', conversations: list.map(c => ({ peer: c.peer, nick: c.nick, last: c.last, pending: c.pending })) }),
    ignored: peers => one({ type: 'ignored', peers: peers.map(namedFields) }),
    ignoreChanged: (_peer, _ignoring, _changed, peers) => one({ type: 'ignored', peers: peers.map(namedFields) })
  }
}
