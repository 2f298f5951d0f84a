/**
 * The committee protocol `/p2pchat/committee/1.0.0` on libp2p: Raft messages between committee
 * members as length-prefixed `CommitteeMessage` frames. Each member keeps one outbound stream
 * per peer and writes its frames there in order; inbound streams are read frame by frame. A
 * frame whose `from` is not the connection's peer is refused (nobody speaks for another member).
 * Raft tolerates loss, so a failed stream drops what was queued on it and the next frame opens a
 * new one.
 */
import { lpStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Connection, Stream } from '@libp2p/interface'
import { COMMITTEE_LIMITS, decodeCommitteeMessage, encodeCommitteeMessage, type Message } from '../consensus/index.js'
import { limitedLengthDecoder } from '../wire/index.js'
import { openStreamTo } from '../node/newest-connection.js'
import { isP2pchatError } from '../errors.js'
import type { ChatNode } from '../node/create-node.js'

/** The committee protocol id. */
export const COMMITTEE_PROTOCOL = '/p2pchat/committee/1.0.0'

/** Frames queued for one peer before the oldest are dropped (a peer that cannot keep up loses heartbeats, which Raft tolerates). */
export const MAX_QUEUED_FRAMES = 256

/** How long opening a stream to a member may take. */
export const COMMITTEE_DIAL_TIMEOUT_MS = 2_000

/** Why a committee frame was dropped; counted as `committee-<reason>`. */
export type CommitteeFailure = 'malformed' | 'oversized' | 'forged' | 'other-room' | 'queue-full' | 'stream-error'

/** A room's side of the protocol: frames of its room are handed to `deliver`. */
export interface CommitteeEndpoint {
  room: string
  deliver: (message: Message) => void
  failed: (reason: CommitteeFailure) => void
}

type Framed = ReturnType<typeof lpStream<Stream>>

function framed (stream: Stream): Framed {
  return lpStream(stream, { maxDataLength: COMMITTEE_LIMITS.maxFrameBytes, lengthDecoder: limitedLengthDecoder(COMMITTEE_LIMITS.maxFrameBytes) })
}

/** The outbound side toward one peer: a queue and the stream it drains into. */
interface Outbound { queue: Uint8Array[], writing: boolean, stream?: Stream, lp?: Framed }

/** One node's committee links, for every room it serves. */
export class CommitteeLinks {
  private readonly endpoints = new Map<string, CommitteeEndpoint>()
  private readonly outbound = new Map<string, Outbound>()
  private stopped = false
  /** Frames and their bytes (length prefix not included) queued to send, and received, since start. */
  readonly traffic = { sentFrames: 0, sentBytes: 0, receivedFrames: 0, receivedBytes: 0 }

  constructor (private readonly node: ChatNode) {}

  /** Registers the protocol handler. */
  async start (): Promise<void> {
    await this.node.handle(COMMITTEE_PROTOCOL, (stream, connection) => { void this.read(stream, connection) }, { maxInboundStreams: 4, runOnLimitedConnection: true })
  }

  /** Unregisters it and closes every stream. */
  async stop (): Promise<void> {
    this.stopped = true
    for (const o of this.outbound.values()) o.stream?.abort(new Error('committee stopped'))
    this.outbound.clear()
    await this.node.unhandle(COMMITTEE_PROTOCOL).catch(() => {})
  }

  /** Serves `endpoint.room`. */
  attach (endpoint: CommitteeEndpoint): void {
    this.endpoints.set(endpoint.room, endpoint)
  }

  /** Queues `message` to its recipient; never throws. */
  send (room: string, message: Message): void {
    if (this.stopped) return
    let frame: Uint8Array
    try { frame = encodeCommitteeMessage(room, message) } catch { this.endpoints.get(room)?.failed('malformed'); return }
    let o = this.outbound.get(message.to)
    if (o === undefined) { o = { queue: [], writing: false }; this.outbound.set(message.to, o) }
    if (o.queue.length >= MAX_QUEUED_FRAMES) { o.queue.shift(); this.endpoints.get(room)?.failed('queue-full') }
    o.queue.push(frame)
    this.traffic.sentFrames++
    this.traffic.sentBytes += frame.byteLength
    if (!o.writing) void this.drain(message.to, o, room)
  }

  private async drain (to: string, o: Outbound, room: string): Promise<void> {
    o.writing = true
    try {
      while (o.queue.length > 0 && !this.stopped) {
        if (o.lp === undefined || o.stream?.status !== 'open') {
          o.stream = await this.open(to)
          o.lp = framed(o.stream)
        }
        const frame = o.queue.shift() as Uint8Array
        await o.lp.write(frame, { signal: AbortSignal.timeout(COMMITTEE_DIAL_TIMEOUT_MS) })
      }
    } catch (err) {
      // The peer is unreachable or the stream broke: what was queued is lost, as Raft allows.
      o.stream?.abort(err as Error)
      o.stream = undefined
      o.lp = undefined
      o.queue.length = 0
      this.endpoints.get(room)?.failed('stream-error')
    } finally {
      o.writing = false
    }
  }

  private async open (to: string): Promise<Stream> {
    const peer = peerIdFromString(to)
    const signal = AbortSignal.timeout(COMMITTEE_DIAL_TIMEOUT_MS)
    return await openStreamTo(this.node, peer, COMMITTEE_PROTOCOL, signal)
  }

  private async read (stream: Stream, connection: Connection): Promise<void> {
    const lp = framed(stream)
    const sender = connection.remotePeer.toString()
    try {
      while (!this.stopped) {
        const frame = (await lp.read()).subarray()
        this.traffic.receivedFrames++
        this.traffic.receivedBytes += frame.byteLength
        const decoded = decodeCommitteeMessage(frame)
        if (!decoded.ok) { this.anyEndpoint()?.failed(decoded.reason); continue }
        const endpoint = this.endpoints.get(decoded.room)
        if (endpoint === undefined) { this.anyEndpoint()?.failed('other-room'); continue }
        if (decoded.message.from !== sender) { endpoint.failed('forged'); continue }
        endpoint.deliver(decoded.message)
      }
    } catch (err) {
      // The stream ended (the peer closed or went away), or it sent a bad length prefix.
      if (isP2pchatError(err, 'DECODE_FAILED') || (err as { name?: string }).name === 'InvalidDataLengthError') this.anyEndpoint()?.failed('malformed')
      stream.abort(new Error('committee stream ended'))
    }
  }

  private anyEndpoint (): CommitteeEndpoint | undefined {
    return this.endpoints.values().next().value
  }
}
