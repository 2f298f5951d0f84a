/**
 * What the model network runs at each node. `DriverParticipant` is the room driver,
 * the same code a live room runs: its pull scheduling (slots, queue, holder order,
 * fallback after a timeout), sync-on-join and presence are all in the model's figures.
 * `CoreParticipant` is the bare reliability core, for the core's own unit tests.
 */
import { ReliableChannel, type ChannelEvent, type ChannelOptions, type MessageId, type PullScope, type ReliableMessage } from '../reliability/index.js'
import type { PresenceOptions, ProbeOutcome, ProbeRequest } from '../presence/index.js'
import { RoomDriver } from '../room/index.js'
import { decodeChatContent, MAX_NICK_LENGTH } from '../wire/index.js'

/** One pull a participant wants made. */
export interface SimPull {
  /** The driver's attempt id; undefined for the bare core (untracked: a lost pull is simply retried later). */
  pullId?: number
  /** Peers to try in order (the driver names one; the bare core names its candidates, or 'any' peer). */
  targets: string[] | 'any'
  ids: MessageId[]
  scope: PullScope
}

/** What a participant produced since the last drain. */
export interface ParticipantOutput {
  outgoing: ReliableMessage[]
  pulls: SimPull[]
  /** Liveness probes the driver wants made (none for the bare core). */
  probes: ProbeRequest[]
  events: ChannelEvent[]
}

/** A node's logic as the model network drives it. */
export interface Participant {
  /** The reliability core; the bare core's may be replaced (a test restoring from a snapshot). */
  channel: ReliableChannel
  /** The room driver, when this participant runs one. */
  readonly driver?: RoomDriver
  send: (content: Uint8Array, now: number) => ReliableMessage
  sendEphemeral: (content: Uint8Array, now: number) => ReliableMessage
  receive: (msg: ReliableMessage, now: number) => void
  tick: (now: number) => void
  /** The peers this node is connected to (and so in the topic with) changed. */
  membership: (peers: string[], now: number) => void
  /** A redial of a lost neighbour failed (it crashed or is cut off). */
  unreachable: (peer: string, now: number) => void
  /** How one of its probe requests ended. */
  probed: (probeId: number, outcome: ProbeOutcome, now: number) => void
  answer: (ids: MessageId[], scope: PullScope) => ReliableMessage[]
  /** A pull answer arrived from `from` (possibly empty). */
  answered: (pull: SimPull, msgs: ReliableMessage[], from: string, now: number) => void
  /** A tracked pull attempt got no answer within the pull timeout. */
  failed: (pull: SimPull, now: number) => void
  drain: () => ParticipantOutput
  /** Duplicate copies dropped (by the core, and for the driver also before verification, as the live gate does). */
  duplicates: () => number
}

/** The bare reliability core. */
export class CoreParticipant implements Participant {
  channel: ReliableChannel

  constructor (id: string, channelId: string, options: Partial<ChannelOptions>) {
    this.channel = new ReliableChannel(id, channelId, options)
  }

  send (content: Uint8Array, now: number): ReliableMessage { return this.channel.send(content, now) }
  sendEphemeral (content: Uint8Array, now: number): ReliableMessage { return this.channel.sendEphemeral(content, now) }
  receive (msg: ReliableMessage, now: number): void { this.channel.receive(msg, now) }
  tick (now: number): void { this.channel.tick(now) }
  membership (): void {}
  unreachable (): void {}
  probed (): void {}
  answer (ids: MessageId[], scope: PullScope): ReliableMessage[] { return this.channel.answerPull(ids, scope) }
  answered (_pull: SimPull, msgs: ReliableMessage[], from: string, now: number): void {
    for (const msg of msgs) this.channel.receive(msg, now, from)
    // As the room does: ids named by pulled messages are pulled at once, not at the next tick.
    this.channel.tick(now)
  }

  failed (): void {}
  duplicates (): number { return this.channel.status().dropped.duplicate }

  drain (): ParticipantOutput {
    const outgoing = this.channel.drainOutgoing()
    const pulls = this.channel.drainPulls().map(request => ({
      targets: request.peer === undefined ? 'any' as const : [request.peer, ...request.candidates],
      ids: request.messageIds,
      scope: { maxAncestors: request.maxAncestors, have: request.have, minLamport: request.minLamport }
    }))
    return { outgoing, pulls, probes: [], events: this.channel.drainEvents() }
  }
}

/** Model peer ids (`p0`, …) as bytes, for presence's origin check. */
function modelIdBytes (id: string): Uint8Array {
  return new TextEncoder().encode(id)
}

/** The model peer id of such bytes. */
function modelIdOf (bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes)
}

/** The room driver: the code a live room runs. */
export class DriverParticipant implements Participant {
  readonly driver: RoomDriver
  /** Pulled copies the core already had, dropped before they reach it (the live gate's dedup). */
  private gateDuplicates = 0

  constructor (id: string, channelId: string, options: Partial<ChannelOptions>, presence: Partial<PresenceOptions>, announcePresence: boolean, now: number, roomSize = 0, probing = true, sizeKnown = false) {
    this.driver = new RoomDriver(id, channelId, {
      nick: id.slice(-MAX_NICK_LENGTH),
      channel: options,
      announcePresence,
      probing: probing ? {} : false,
      // Without presence no roster tells the driver how large the room is: the model says it.
      knownRoomSize: announcePresence && !sizeKnown ? 0 : roomSize,
      presence: { peerIdToBytes: modelIdBytes, peerIdFromBytes: modelIdOf, ...presence }
    })
    this.driver.start(now)
  }

  get channel (): ReliableChannel { return this.driver.channel }
  set channel (_channel: ReliableChannel) { throw new Error('a room driver owns its channel: restore it through the driver') }

  /** Sends chat content (a chat line encoded by the wire layer) as its text. */
  send (content: Uint8Array, now: number): ReliableMessage {
    const decoded = decodeChatContent(content)
    if (!decoded.ok) throw new Error('the room driver sends chat lines: encode the content with encodeChatContent')
    return this.driver.send(decoded.value.text, decoded.value.action, now)
  }

  sendEphemeral (content: Uint8Array, now: number): ReliableMessage {
    const msg = this.driver.channel.sendEphemeral(content, now)
    this.driver.tick(now)
    return msg
  }

  receive (msg: ReliableMessage, now: number): void {
    if (this.driver.check(msg, now).action === 'accept') this.driver.receive(msg, now)
  }

  tick (now: number): void { this.driver.tick(now) }
  membership (peers: string[], now: number): void { this.driver.membership(peers, peers, now) }
  unreachable (peer: string, now: number): void { this.driver.unreachable(peer, now) }
  probed (probeId: number, outcome: ProbeOutcome, now: number): void { this.driver.probed(probeId, outcome, now) }
  answer (ids: MessageId[], scope: PullScope): ReliableMessage[] {
    return this.driver.answerPull({ channelId: this.driver.topic, ids, maxAncestors: scope.maxAncestors ?? 0, have: scope.have, minLamport: scope.minLamport }).messages
  }

  answered (pull: SimPull, msgs: ReliableMessage[], from: string, now: number): void {
    const fresh = msgs.filter(m => !this.driver.hasReceived(m.messageId, m.kind))
    this.gateDuplicates += msgs.length - fresh.length
    this.driver.pullAnswered(pull.pullId ?? 0, fresh, from, now, msgs.length > 0)
  }

  duplicates (): number { return this.channel.status().dropped.duplicate + this.gateDuplicates }

  failed (pull: SimPull, now: number): void { this.driver.pullFailed(pull.pullId ?? 0, now) }

  drain (): ParticipantOutput {
    const ready = this.driver.ready()
    const out: ParticipantOutput = { outgoing: ready.publish, pulls: [], probes: ready.probes, events: ready.channelEvents }
    for (const attempt of ready.pulls) {
      const { ask } = attempt
      out.pulls.push({ pullId: attempt.pullId, targets: [attempt.target], ids: ask.ids, scope: { maxAncestors: ask.maxAncestors, have: ask.have, minLamport: ask.minLamport } })
    }
    return out
  }
}
