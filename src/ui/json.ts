/**
 * The `--json` Renderer: NDJSON, one JSON object per line, for scripts.
 * Every object has a `type`; fields marked `?` are omitted when absent. Strings
 * are the exact values (not sanitised), but every character a terminal would
 * act on is written as a `\uXXXX` escape, so the raw stream is safe to view.
 *
 * | type         | fields                                                                                          | when |
 * |--------------|-------------------------------------------------------------------------------------------------|------|
 * | `message`    | `id`, `from` (peer id), `nick`, `text`, `action` (bool), `lamport` (ms), `ts` (received, ms since epoch), `time` (ISO 8601 of `ts`), `own` (bool), `state`?, `outOfOrder`? (true), `gapBefore`? (ids lost just before), `history`? (true) | a chat line is delivered |
 * | `state`      | `id`, `state` (`pending` \| `sent` \| `confirmed` \| `not-confirmed`)                           | an own message changes state |
 * | `peer-join`  | `peerId`, `nick`?                                                                               | a peer joins the topic |
 * | `peer-leave` | `peerId`, `nick`?                                                                               | a peer leaves the topic |
 * | `notice`     | `level` (`info` \| `warn` \| `error`), `text`                                                   | a session notice; also "connecting to …" |
 * | `connected`  | `multiaddr`, `peerId`                                                                           | `/connect` succeeded |
 * | `nick`       | `nick`                                                                                          | `/nick` succeeded |
 * | `peers`      | `peers`: array of `{ peerId, nick?, address, direction, latencyMs?, inTopic }`                   | `/peers` |
 * | `id`         | `peerId`, `addresses` (array of multiaddrs)                                                     | `/id` |
 * | `status`     | `topic`, `peerId`, `topicPeers`, `connections`, `lamport`, `unacknowledged`, `buffered`, `missing`, `lost`, `pullsServed`, `pullsMade`, `dropped` (object: reason → count) | `/status` |
 * | `history`    | `messages`: array of message objects (the `message` fields without `type`)                      | `/history [n]` |
 * | `help`       | `commands`: array of `{ name, aliases, args, description }`                                     | `/help` |
 * | `error`      | `text`, `code`? (a P2pchatError code)                                                           | a command failed or was unknown |
 */

import { COMMANDS } from './commands.js'
import type { Renderer } from './renderer.js'
import type { ChatLine } from '../room/types.js'

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
  ts: number
  time: string
  own: boolean
  state?: string
  outOfOrder?: true
  gapBefore?: string[]
  history?: true
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
    ts: line.receivedAt,
    time: new Date(line.receivedAt).toISOString(),
    own: line.own
  }
  if (line.state !== undefined) out.state = line.state
  if (line.outOfOrder === true) out.outOfOrder = true
  if (line.gapBefore !== undefined && line.gapBefore.length > 0) out.gapBefore = [...line.gapBefore]
  if (line.history === true) out.history = true
  return out
}

const one = (value: { [key: string]: JsonValue | undefined }): string[] => [toJsonLine(value)]

/** The NDJSON Renderer: exactly one line per event or command result. */
export function createJsonRenderer (): Renderer {
  return {
    message: line => one({ type: 'message', ...messageFields(line) }),
    messageState: ({ id, state }) => one({ type: 'state', id, state }),
    peerJoin: ({ peerId, nick }) => one({ type: 'peer-join', peerId, nick }),
    peerLeave: ({ peerId, nick }) => one({ type: 'peer-leave', peerId, nick }),
    notice: ({ level, text }) => one({ type: 'notice', level, text }),
    connecting: multiaddr => one({ type: 'notice', level: 'info', text: `connecting to ${multiaddr}` }),
    connected: (multiaddr, peerId) => one({ type: 'connected', multiaddr, peerId }),
    nickChanged: nick => one({ type: 'nick', nick }),
    error: (text, code) => one({ type: 'error', text, code }),
    peers: rows => one({
      type: 'peers',
      peers: rows.map(r => ({ peerId: r.peerId, nick: r.nick, address: r.address, direction: r.direction, latencyMs: r.latencyMs, inTopic: r.inTopic }))
    }),
    identity: ({ peerId, addresses }) => one({ type: 'id', peerId, addresses: [...addresses] }),
    status: s => one({ type: 'status', ...s, dropped: { ...s.dropped } }),
    history: lines => one({ type: 'history', messages: lines.map(messageFields) }),
    help: () => one({
      type: 'help',
      commands: COMMANDS.map(c => ({ name: c.name, aliases: [...c.aliases], args: c.args, description: c.description }))
    })
  }
}
