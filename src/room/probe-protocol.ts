/**
 * The probe protocol `/p2pchat/probe/1.0.0`: SWIM's indirect probe. A peer whose direct ping
 * of a neighbour went unanswered asks a few others to ping it. One stream per request: the
 * client writes one length-prefixed ProbeRequest; the helper pings the target with libp2p's
 * ping protocol within the asked timeout (capped), answers one length-prefixed ProbeResponse
 * and closes. Direct probes are plain libp2p pings (`/ipfs/ping/1.0.0`).
 */
import { lpStream } from '@libp2p/utils'
import { peerIdFromString } from '@libp2p/peer-id'
import type { PeerId, Stream, Connection } from '@libp2p/interface'
import { defaultPeerIdFromBytes, defaultPeerIdToBytes } from '../presence/index.js'
import { asBytes, decodeStrict, limitedLengthDecoder, schema } from '../wire/index.js'
import { openStreamTo } from '../node/newest-connection.js'
import { isP2pchatError } from '../errors.js'
import type { ChatNode } from '../node/create-node.js'

/** The probe protocol id. */
export const PROBE_PROTOCOL = '/p2pchat/probe/1.0.0'

/** Largest probe request or response frame (a peer id and a number, or a flag). */
export const MAX_PROBE_FRAME_BYTES = 256

/** The longest ping a helper makes for someone else, whatever it is asked. */
export const MAX_HELPER_PING_MS = 2_000

/** Helper pings running at once for all requesters together; more requests are refused. */
export const MAX_HELPER_PINGS = 32

/** Why a probe request was refused or cut off; counted in `/status` as `probe-<reason>`. */
export type ProbeFailure = 'malformed' | 'busy' | 'timeout' | 'stream-error'

function framed (stream: Stream): ReturnType<typeof lpStream<Stream>> {
  return lpStream(stream, { maxDataLength: MAX_PROBE_FRAME_BYTES, lengthDecoder: limitedLengthDecoder(MAX_PROBE_FRAME_BYTES) })
}

/** Pings in flight, per node and peer: probes of one peer share one ping. */
const inFlight = new WeakMap<ChatNode, Map<string, Promise<boolean>>>()

async function pingOnce (node: ChatNode, peer: PeerId, timeoutMs: number): Promise<boolean> {
  try {
    await node.services.ping.ping(peer, { signal: AbortSignal.timeout(timeoutMs) })
    return true
  } catch {
    return false
  }
}

/**
 * Pings `peer` (libp2p ping on an open connection, else a dial); true when it answered within
 * `timeoutMs`. A ping of the same peer already in flight (our own probe, or one we make for a
 * helper's requester) is shared rather than doubled; if it fails while time is left, we ping again.
 */
export async function pingPeer (node: ChatNode, peer: PeerId, timeoutMs: number): Promise<boolean> {
  const key = peer.toString()
  let pings = inFlight.get(node)
  if (pings === undefined) { pings = new Map(); inFlight.set(node, pings) }
  const deadline = Date.now() + timeoutMs
  for (let attempt = 0; attempt < 2; attempt++) {
    const left = deadline - Date.now()
    if (left <= 0) return false
    const shared = pings.get(key)
    if (shared !== undefined) {
      let timer: ReturnType<typeof setTimeout> | undefined
      const expired = new Promise<boolean>(resolve => { timer = setTimeout(() => { resolve(false) }, left) })
      const reached = await Promise.race([shared, expired])
      clearTimeout(timer)
      if (reached) return true
      continue
    }
    const own = pingOnce(node, peer, left)
    pings.set(key, own)
    try {
      return await own
    } finally {
      if (pings.get(key) === own) pings.delete(key)
    }
  }
  return false
}

/** Registers the helper side. Returns a function that unregisters it. */
export async function handleProbe (node: ChatNode, onFailed: (reason: ProbeFailure) => void): Promise<() => Promise<void>> {
  let running = 0
  const handler = async (stream: Stream, _connection: Connection): Promise<void> => {
    const signal = AbortSignal.timeout(MAX_HELPER_PING_MS + 2_000)
    if (running >= MAX_HELPER_PINGS) { onFailed('busy'); stream.abort(new Error('too many probes at once')); return }
    running++
    try {
      const lp = framed(stream)
      const request = decodeStrict(schema.ProbeRequest, (await lp.read({ signal })).subarray()) as unknown as { target?: Uint8Array, timeoutMs?: number }
      const target = defaultPeerIdFromBytes(asBytes(request.target))
      const timeoutMs = Math.min(MAX_HELPER_PING_MS, Math.max(1, Number(request.timeoutMs ?? 0)))
      if (target === undefined || target === node.peerId.toString()) { onFailed('malformed'); stream.abort(new Error('not a peer to probe')); return }
      const reached = await pingPeer(node, peerIdFromString(target), timeoutMs)
      await lp.write(schema.ProbeResponse.encode({ reached }).finish(), { signal })
      await stream.close({ signal })
    } catch (err) {
      onFailed(classify(err))
      stream.abort(err as Error)
    } finally {
      running--
    }
  }
  await node.handle(PROBE_PROTOCOL, handler, { maxInboundStreams: 8, runOnLimitedConnection: true })
  return async () => { await node.unhandle(PROBE_PROTOCOL) }
}

/**
 * Asks `helper` to ping `target` within `helperTimeoutMs`: `ack` when it did, `nack` when it
 * could not, `failed` when the helper did not answer within `timeoutMs`.
 */
export async function probeVia (node: ChatNode, helper: PeerId, target: string, helperTimeoutMs: number, timeoutMs: number): Promise<'ack' | 'nack' | 'failed'> {
  const targetBytes = defaultPeerIdToBytes(target)
  if (targetBytes === undefined) return 'failed'
  const signal = AbortSignal.timeout(timeoutMs)
  let stream: Stream | undefined
  try {
    stream = await openStreamTo(node, helper, PROBE_PROTOCOL, signal)
    const lp = framed(stream)
    await lp.write(schema.ProbeRequest.encode({ target: targetBytes, timeoutMs: helperTimeoutMs }).finish(), { signal })
    const response = decodeStrict(schema.ProbeResponse, (await lp.read({ signal })).subarray()) as unknown as { reached?: boolean }
    await stream.close({ signal }).catch(() => {})
    return response.reached === true ? 'ack' : 'nack'
  } catch (err) {
    stream?.abort(err as Error)
    return 'failed'
  }
}

function classify (err: unknown): ProbeFailure {
  const name = (err as { name?: string } | undefined)?.name ?? ''
  if (name === 'AbortError' || name === 'TimeoutError') return 'timeout'
  if (isP2pchatError(err, 'DECODE_FAILED') || name.startsWith('Invalid')) return 'malformed'
  return 'stream-error'
}
