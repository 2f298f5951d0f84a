/**
 * Test doubles for the UI: a ChatSession backed by an EventTarget that records
 * every call, streams that collect output or pretend to be a TTY, and a
 * `waitFor` that yields to the event loop (no timers) until a condition holds.
 */

import { PassThrough, Writable } from 'node:stream'
import { P2pchatError } from '../../../src/errors.js'
import type { CensusResult, ChatLine, ChatSession, CommitteeView, DirectLine, GovernAction, Identity, PeerRow, SessionEventMap, RoomInfo, RoomStatus, RosterEntry } from '../../../src/session/types.js'

export const ALICE = '12D3KooWAliceAliceAliceAliceAliceAliceAliceAlice1234'
export const BOB = '12D3KooWBobBobBobBobBobBobBobBobBobBobBobBobBobBob5678'

/** A well-formed invite to private room `name` (`key`: a stand-in for the 43 base64url characters of a key). */
export function inviteTo (name: string, key = 'k'.repeat(43)): string {
  return `p2pchat:room/${name}#${key}`
}

/** A recorded call on the fake session. */
export interface Call { method: string, args: unknown[] }

/** A ChatSession that records calls and lets tests emit events. */
export class FakeSession implements ChatSession {
  /** The active room; `join` and `leave` change it. */
  topic = 'x'
  nick = 'alice'
  readonly peerId = ALICE
  readonly calls: Call[] = []
  topicPeers = 1
  nicks: string[] = ['bob', 'carol']
  peerRows: PeerRow[] = []
  lines: ChatLine[] = []
  /** Replace to make connect fail or resolve differently. */
  connectImpl: (multiaddr: string) => Promise<string> = async () => BOB
  /** Replace to make send fail. */
  sendImpl: (text: string) => Promise<void> = async () => {}
  /** Extra registry rooms listed by `rooms()` besides the active one. */
  registryRooms: RoomInfo[] = []
  /** What `who()` returns (empty: no roster yet). */
  roster: RosterEntry[] = []
  /** Rooms left by `join`, most recent last, for `leave`. */
  roomStack: string[] = []
  statusText = ''
  away = false
  /**
   * When `room:change` is emitted relative to `join`/`leave` resolving:
   * `before` (synchronously, before resolving), `after` (on a later turn), or `never`.
   */
  roomEventTiming: 'before' | 'after' | 'never' = 'before'
  /** Private rooms whose key the profile holds: name → invite (`rooms()` lists them, marked private). */
  privateRooms = new Map<string, string>()
  /**
   * Replace to make join fail; by default an invite (`p2pchat:room/<name>#<key>`) is kept in
   * `privateRooms` and names its room, and any other non-empty name without spaces is accepted.
   */
  joinImpl: (name: string) => Promise<string> = async name => {
    const invite = /^p2pchat:room\/([^\s#/]+)#([A-Za-z0-9_-]*)$/.exec(name)
    if (name.startsWith('p2pchat:')) {
      if (invite === null || invite[2].length !== 43) throw new P2pchatError('INVALID_COMMAND', 'not a valid invite: the key in this invite is damaged; ask for it again')
      this.privateRooms.set(invite[1], name)
      return invite[1]
    }
    if (name === '' || /\s/.test(name)) throw new P2pchatError('INVALID_COMMAND', `invalid room name "${name}"`)
    return name
  }

  /** Replace to make rekey fail or answer differently; by default a new key of `k`s and `n`s, taking turns. */
  rekeyImpl: () => Promise<string> = async () => inviteTo(this.topic, (this.rekeys % 2 === 0 ? 'n' : 'k').repeat(43))
  private rekeys = 0

  /** Replace to make census fail or answer differently. */
  // It answers after a timer, as a real census answers after its reply window.
  censusImpl: () => Promise<CensusResult> = async () => await new Promise(resolve => { setTimeout(() => { resolve({ estimate: 41.6, low: 29.2, high: 55.4, replies: 11, p: 0.25, rosterCount: 38, durationMs: 3000 }) }, 1) })
  /** What `committee()` answers (a room with no committee by default). */
  committeeView: CommitteeView = committeeView({ mode: 'none' })
  /** Replace to make govern fail (a real session refuses unless we are a trusted peer). */
  governImpl: (action: GovernAction) => Promise<void> = async () => {}
  /** Direct messages sent and received (both directions), oldest first. */
  directLines: DirectLine[] = []
  /** What `conversations()` answers. */
  conversationList: Array<{ peer: string, nick?: string, last: number, pending: number }> = []
  /** Peers ignored, in order. */
  ignoredPeers: string[] = []
  /** The clock of sent direct messages. */
  directNow = at(12, 0)
  private directSeq = 0
  private readonly target = new EventTarget()
  private listeners = 0

  get listenerCount (): number { return this.listeners }

  async send (text: string): Promise<void> { this.calls.push({ method: 'send', args: [text] }); await this.sendImpl(text) }
  async sendAction (text: string): Promise<void> { this.calls.push({ method: 'sendAction', args: [text] }) }
  setNick (nick: string): void { this.calls.push({ method: 'setNick', args: [nick] }); this.nick = nick }
  async connect (multiaddr: string): Promise<string> {
    this.calls.push({ method: 'connect', args: [multiaddr] })
    return await this.connectImpl(multiaddr)
  }

  async peers (): Promise<PeerRow[]> { this.calls.push({ method: 'peers', args: [] }); return this.peerRows }
  identity (): Identity { this.calls.push({ method: 'identity', args: [] }); return { peerId: ALICE, addresses: [`/ip4/127.0.0.1/tcp/4001/p2p/${ALICE}`] } }
  topicPeerCount (): number { return this.topicPeers }
  status (): RoomStatus {
    this.calls.push({ method: 'status', args: [] })
    return { topic: 'x', peerId: ALICE, topicPeers: 1, connections: 1, lamport: 5, unacknowledged: 0, buffered: 0, missing: 0, lost: 0, pullsServed: 0, pullsMade: 0, dropped: {}, resends: { total: 0, tail: 0 }, syncs: { sent: 0, acks: 0, behindAnswers: 0 }, probes: { direct: 0, indirect: 0, suspects: 0, deaths: 0, localHealth: 0, suspected: 0, refutations: 0 }, noStream: 0, gossipStreams: { moved: 0, reopened: 0, keptPeers: 0 } }
  }

  history (limit: number): ChatLine[] { this.calls.push({ method: 'history', args: [limit] }); return this.lines.slice(-limit) }
  knownNicks (): string[] { return this.nicks }

  rooms (): RoomInfo[] {
    this.calls.push({ method: 'rooms', args: [] })
    const held = [...this.privateRooms.keys()]
    const listed: RoomInfo[] = [
      ...this.registryRooms.filter(r => !held.includes(r.name)).map(r => ({ ...r, joined: r.name === this.topic })),
      ...held.map(name => ({ name, desc: '', rendezvous: `p2pchat/private/${name}-rv`, trustedPeers: [], joined: name === this.topic, private: true as const }))
    ]
    return listed.some(r => r.joined) ? listed : [{ name: this.topic, desc: '', rendezvous: '', trustedPeers: [], joined: true }, ...listed]
  }

  invite (): string {
    this.calls.push({ method: 'invite', args: [] })
    const invite = this.privateRooms.get(this.topic)
    if (invite === undefined) throw new P2pchatError('INVALID_COMMAND', `room "${this.topic}" is not private: anyone who knows its name can join it`)
    return invite
  }

  async createRoom (name: string): Promise<string> {
    this.calls.push({ method: 'createRoom', args: [name] })
    const invite = `p2pchat:room/${name}#${'k'.repeat(43)}`
    this.privateRooms.set(name, invite)
    this.roomStack.push(this.topic)
    this.switchTo(name)
    return invite
  }

  /** As a live session: says the new invite in the old room (an own `/me` line), then switches to the new room. */
  async rekey (): Promise<string> {
    this.calls.push({ method: 'rekey', args: [] })
    if (!this.privateRooms.has(this.topic)) throw new P2pchatError('INVALID_COMMAND', `room "${this.topic}" is not private, so it has no key to change`)
    const invite = await this.rekeyImpl()
    this.rekeys++
    this.emit('message', { id: `rk${this.rekeys}`, from: ALICE, nick: this.nick, text: `moved this room to a new key; join it with: ${invite}`, action: true, lamport: at(12, 0), sentAt: at(12, 0), receivedAt: at(12, 0), own: true, state: 'pending' })
    this.privateRooms.set(this.topic, invite)
    this.switchTo(this.topic)
    return invite
  }

  async join (nameOrTopic: string): Promise<string> {
    this.calls.push({ method: 'join', args: [nameOrTopic] })
    const name = await this.joinImpl(nameOrTopic)
    if (name !== this.topic) {
      this.roomStack.push(this.topic)
      this.switchTo(name)
    }
    return name
  }

  async leave (): Promise<string> {
    this.calls.push({ method: 'leave', args: [] })
    const previous = this.roomStack.pop()
    if (previous === undefined) throw new P2pchatError('INVALID_COMMAND', 'no previous room to go back to')
    this.switchTo(previous)
    return previous
  }

  who (): RosterEntry[] { this.calls.push({ method: 'who', args: [] }); return this.roster }
  setStatusText (text: string): void { this.calls.push({ method: 'setStatusText', args: [text] }); this.statusText = text; this.away = false }
  setAway (away?: boolean): boolean { this.calls.push({ method: 'setAway', args: away === undefined ? [] : [away] }); this.away = away ?? !this.away; return this.away }
  async census (): Promise<CensusResult> { this.calls.push({ method: 'census', args: [] }); return await this.censusImpl() }
  committee (): CommitteeView { this.calls.push({ method: 'committee', args: [] }); return this.committeeView }
  async govern (action: GovernAction): Promise<void> { this.calls.push({ method: 'govern', args: [action] }); await this.governImpl(action) }

  sendDirect (peer: string, text: string, action = false): DirectLine {
    this.calls.push({ method: 'sendDirect', args: [peer, text, action] })
    if (text === '') throw new P2pchatError('INVALID_COMMAND', 'nothing to send')
    if (peer === ALICE) throw new P2pchatError('INVALID_COMMAND', 'that is you')
    const seq = ++this.directSeq
    const line: DirectLine = { id: `d${seq}`, from: ALICE, to: peer, epoch: 1, seq, sentAt: this.directNow, nick: this.nick, text, action, own: true, state: 'pending', receivedAt: this.directNow, peer }
    this.directLines.push(line)
    this.emit('dm', line)
    return line
  }

  directHistory (peer: string, limit: number): DirectLine[] {
    this.calls.push({ method: 'directHistory', args: [peer, limit] })
    return this.directLines.filter(l => l.peer === peer).slice(-limit)
  }

  conversations (): Array<{ peer: string, nick?: string, last: number, pending: number }> {
    this.calls.push({ method: 'conversations', args: [] })
    return this.conversationList
  }

  ignore (peer: string): void { this.calls.push({ method: 'ignore', args: [peer] }); if (!this.ignoredPeers.includes(peer)) this.ignoredPeers.push(peer) }
  unignore (peer: string): void { this.calls.push({ method: 'unignore', args: [peer] }); this.ignoredPeers = this.ignoredPeers.filter(p => p !== peer) }
  ignored (): string[] { return [...this.ignoredPeers] }

  private switchTo (name: string): void {
    const previous = this.topic
    this.topic = name
    const emit = (): void => { this.emit('room:change', { name, previous }) }
    if (this.roomEventTiming === 'before') emit()
    else if (this.roomEventTiming === 'after') setImmediate(emit)
  }

  addEventListener<K extends keyof SessionEventMap> (type: K, listener: (evt: CustomEvent<SessionEventMap[K]>) => void): void {
    this.listeners++
    this.target.addEventListener(type, listener as (evt: Event) => void)
  }

  removeEventListener<K extends keyof SessionEventMap> (type: K, listener: (evt: CustomEvent<SessionEventMap[K]>) => void): void {
    this.listeners--
    this.target.removeEventListener(type, listener as (evt: Event) => void)
  }

  emit<K extends keyof SessionEventMap> (type: K, detail: SessionEventMap[K]): void {
    this.target.dispatchEvent(new CustomEvent(type, { detail }))
  }

  methods (): string[] { return this.calls.map(c => c.method) }
}

/** A chat line with defaults (from bob, received at `receivedAt`). */
export function chatLine (over: Partial<ChatLine> = {}): ChatLine {
  const receivedAt = over.receivedAt ?? new Date(2024, 0, 2, 9, 5, 30).getTime()
  const sentAt = over.sentAt ?? over.lamport ?? receivedAt
  return { id: 'aa01', from: BOB, nick: 'bob', text: 'hi', action: false, lamport: sentAt, sentAt, receivedAt, own: false, ...over }
}

/** A direct message with defaults (from bob to alice, received at 09:05:30). */
export function directLine (over: Partial<DirectLine> = {}): DirectLine {
  const receivedAt = over.receivedAt ?? new Date(2024, 0, 2, 9, 5, 30).getTime()
  const own = over.own ?? false
  const peer = over.peer ?? BOB
  return {
    id: 'dd01', from: own ? ALICE : peer, to: own ? peer : ALICE, epoch: 1, seq: 1, sentAt: over.sentAt ?? receivedAt,
    nick: own ? 'alice' : 'bob', text: 'psst', action: false, own, receivedAt, peer, ...over
  }
}

/** A Writable that keeps everything written; optionally looks like a TTY. */
export class Collector extends Writable {
  text = ''
  /** Each write, as written. */
  readonly chunks: string[] = []
  isTTY: boolean
  columns = 80
  rows = 24
  constructor (isTTY = false) {
    super()
    this.isTTY = isTTY
  }

  override _write (chunk: Buffer | string, _enc: BufferEncoding, cb: (err?: Error | null) => void): void {
    this.text += chunk.toString()
    this.chunks.push(chunk.toString())
    cb()
  }

  /** Output lines (split on newlines), without the final empty one. */
  lines (): string[] {
    return this.text.split('\n').filter((l, i, all) => !(i === all.length - 1 && l === ''))
  }
}

/** A PassThrough that readline will treat as a TTY input. */
export class FakeTtyInput extends PassThrough {
  isTTY = true
  isRaw = false
  setRawMode (mode: boolean): this { this.isRaw = mode; return this }
}

/** Yields to the event loop (setImmediate, no timers) until `check` is true; throws after `turns` turns. */
export async function waitFor (check: () => boolean, what = 'condition', turns = 2000): Promise<void> {
  for (let i = 0; i < turns; i++) {
    if (check()) return
    await new Promise<void>(resolve => { setImmediate(resolve) })
  }
  throw new Error(`timed out waiting for ${what}`)
}

/** A roster entry with defaults (bob, seen at `at(12, 0)`, direct). */
export function rosterEntry (over: Partial<RosterEntry> = {}): RosterEntry {
  return { peerId: BOB, nick: 'bob', status: '', away: false, client: 'p2pchat/0.1.0', joinedAt: at(11, 0), lastSeen: at(12, 0), direct: true, self: false, ...over }
}

/** Local ms for today-independent `HH:MM` expectations. */
export function at (hours: number, minutes: number): number {
  return new Date(2024, 0, 2, hours, minutes, 0).getTime()
}

/** A committee view with defaults (a trusted room of 3 peers where we follow, nothing decided yet). */
export function committeeView (over: Partial<CommitteeView> = {}): CommitteeView {
  return { mode: 'trusted', member: false, trustedPeers: [], members: [], appliedIndex: 0, roomSize: 1, k: 0, title: '', pins: [], banned: [], refused: {}, ...over }
}
