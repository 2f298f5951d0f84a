/**
 * The RainTree path's outbound streams: one `/p2pchat/raintree/1.0.0` stream per target peer,
 * opened on demand (on the peer's newest connection, dialing only when none is open), kept while
 * used, at most `maxLinks` at once (the least recently used is closed for a new one). Envelopes
 * are written as length-prefixed frames in order; the ACKs that come back on the same stream go to
 * `onAck`. A stream that fails is closed and forgotten: the copies on it are not ACKed, and the
 * RainTree core's timeout replaces their targets.
 */
import { lpStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import type { Libp2p, Stream } from '@libp2p/interface'
import { limitedLengthDecoder } from '../wire/index.js'
import { openStreamTo } from '../node/newest-connection.js'
import { decodeAck, MAX_RAINTREE_FRAME_BYTES, RAINTREE_PROTOCOL } from './raintree-codec.js'

/** How long opening a stream to a target may take (ms). */
const OPEN_TIMEOUT_MS = 3_000

/** Frames queued on one link before further ones are dropped (the core's timeout covers them). */
const MAX_QUEUED = 256

interface Link {
  writer: ReturnType<typeof lpStream<Stream>> | undefined
  stream: Stream | undefined
  queue: Uint8Array[]
  flushing: boolean
  closed: boolean
}

/** Outbound RainTree streams by peer. */
export class RainTreeLinks {
  private readonly links = new Map<string, Link>()
  /** Frames dropped because their link failed or its queue was full. */
  dropped = 0

  constructor (
    private readonly node: Pick<Libp2p, 'getConnections' | 'dialProtocol'>,
    private readonly maxLinks: number,
    private readonly onAck: (peer: string, nonce: Uint8Array) => void,
    private readonly onFailure: (peer: string, err: Error) => void
  ) {}

  /** Links open or opening. */
  get size (): number { return this.links.size }

  /** Queues `frame` to `peer`, opening a stream when there is none. */
  send (peer: string, frame: Uint8Array): void {
    let link = this.links.get(peer)
    if (link === undefined) {
      link = { writer: undefined, stream: undefined, queue: [], flushing: false, closed: false }
      this.evictFor()
      this.links.set(peer, link)
      void this.open(peer, link)
    } else {
      // Most recently used last.
      this.links.delete(peer)
      this.links.set(peer, link)
    }
    if (link.queue.length >= MAX_QUEUED) { this.dropped++; return }
    link.queue.push(frame)
    void this.flush(peer, link)
  }

  /** Closes the link to `peer` (it left). */
  close (peer: string): void {
    const link = this.links.get(peer)
    if (link !== undefined) this.shut(peer, link)
  }

  /** Closes every link. */
  closeAll (): void {
    for (const [peer, link] of [...this.links]) this.shut(peer, link)
  }

  private evictFor (): void {
    while (this.links.size >= this.maxLinks) {
      const [oldest, link] = this.links.entries().next().value as [string, Link]
      this.shut(oldest, link)
    }
  }

  private async open (peer: string, link: Link): Promise<void> {
    try {
      const stream = await openStreamTo(this.node, peerIdFromString(peer), RAINTREE_PROTOCOL, AbortSignal.timeout(OPEN_TIMEOUT_MS))
      if (link.closed) { stream.abort(new Error('closed')); return }
      link.stream = stream
      link.writer = lpStream(stream, { maxDataLength: MAX_RAINTREE_FRAME_BYTES, lengthDecoder: limitedLengthDecoder(MAX_RAINTREE_FRAME_BYTES) })
      void this.readAcks(peer, link)
      await this.flush(peer, link)
    } catch (err) {
      this.fail(peer, link, err as Error)
    }
  }

  private async flush (peer: string, link: Link): Promise<void> {
    if (link.flushing || link.writer === undefined || link.closed) return
    link.flushing = true
    try {
      while (link.queue.length > 0 && !link.closed) {
        const frames = link.queue.splice(0)
        for (const frame of frames) await link.writer.write(frame)
      }
    } catch (err) {
      this.fail(peer, link, err as Error)
    } finally {
      link.flushing = false
    }
  }

  private async readAcks (peer: string, link: Link): Promise<void> {
    const writer = link.writer
    if (writer === undefined) return
    try {
      while (!link.closed) {
        const frame = await writer.read()
        const nonce = decodeAck(frame.subarray())
        if (nonce === undefined) throw new Error('a RainTree ACK that does not decode')
        this.onAck(peer, nonce)
      }
    } catch (err) {
      if (!link.closed) this.fail(peer, link, err as Error)
    }
  }

  private fail (peer: string, link: Link, err: Error): void {
    if (link.closed) return
    this.dropped += link.queue.length
    this.shut(peer, link)
    this.onFailure(peer, err)
  }

  private shut (peer: string, link: Link): void {
    link.closed = true
    link.queue = []
    if (this.links.get(peer) === link) this.links.delete(peer)
    link.stream?.close().catch(() => { link.stream?.abort(new Error('closed')) })
  }
}
