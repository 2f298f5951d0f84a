/**
 * The repair protocol `/p2pchat/repair/1.0.0`: a direct request/response for
 * messages a peer is missing. One stream per request; the client writes one
 * length-prefixed PullRequest, the server answers one length-prefixed
 * PullResponse of signed records and closes. Both sides bound sizes and time.
 */

import { lpStream } from '@libp2p/utils'
import Long from 'long'
import type { Libp2p, PeerId, Stream, Connection } from '@libp2p/interface'
import {
  asBytes, schema, bytesToHex, decodeStrict, hexToBytes, limitedLengthDecoder, uint64ToSafeInteger, MAX_PULL_IDS, MAX_PULL_REQUEST_BYTES, MAX_PULL_RESPONSE_BYTES
} from '../wire/index.js'
import { isP2pchatError } from '../errors.js'
import { openStreamTo } from '../node/newest-connection.js'
import type { PullAsk } from './driver-types.js'
import type { SignedRecord } from './signed-record.js'

/** The repair protocol id. */
export const REPAIR_PROTOCOL = '/p2pchat/repair/1.0.0'

export type { PullAsk }

/** Why a repair exchange was cut off; counted in `/status` as `repair-<reason>`. */
export type RepairFailure = 'malformed-length' | 'oversized-frame' | 'malformed-frame' | 'timeout' | 'stream-error'

/** Names the failure of one repair stream (either side) for the drop counters. */
export function classifyRepairFailure (err: unknown): RepairFailure {
  // Our length decoder and decodeStrict raise DECODE_FAILED; only the former speaks of a prefix.
  if (isP2pchatError(err, 'DECODE_FAILED')) return err.message.startsWith('malformed length prefix') ? 'malformed-length' : 'malformed-frame'
  const name = (err as { name?: string } | undefined)?.name ?? ''
  if (name === 'InvalidDataLengthError' || name === 'InvalidDataLengthLengthError' || name === 'InvalidMessageLengthError') return 'oversized-frame'
  if (name === 'AbortError' || name === 'TimeoutError') return 'timeout'
  return 'stream-error'
}

/** The length-prefixed reader/writer of a repair stream: frames of at most `maxDataLength`, prefixes checked as they arrive. */
function framed (stream: Stream, maxDataLength: number): ReturnType<typeof lpStream<Stream>> {
  return lpStream(stream, { maxDataLength, lengthDecoder: limitedLengthDecoder(maxDataLength) })
}

/** Answers a pull: the signed records this peer holds for the ask, within `maxBytes`. */
export type PullAnswerer = (ask: PullAsk, maxBytes: number) => Promise<SignedRecord[]>

interface RawPullRequest { channelId?: string, messageIds?: Uint8Array[], maxAncestors?: number, haveFilter?: Uint8Array, minLamport?: number | Long }
interface RawPullResponse { records?: Array<Partial<SignedRecord>> }

/** Registers the server side. Returns a function that unregisters it. */
export async function handleRepair (node: Libp2p, answer: PullAnswerer, timeoutMs: number, onServed: (count: number) => void,
  onFailed: (reason: RepairFailure) => void = () => {}): Promise<() => Promise<void>> {
  const handler = async (stream: Stream, _connection: Connection): Promise<void> => {
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      const lp = framed(stream, MAX_PULL_REQUEST_BYTES)
      const request = decodeStrict(schema.PullRequest, (await lp.read({ signal })).subarray()) as unknown as RawPullRequest
      const ids = (request.messageIds ?? []).slice(0, MAX_PULL_IDS).map(id => asBytes(id)).filter(id => id.byteLength === 16).map(id => bytesToHex(id))
      const have = asBytes(request.haveFilter)
      const minLamport = uint64ToSafeInteger(request.minLamport)
      const ask: PullAsk = {
        channelId: request.channelId ?? '',
        ids,
        maxAncestors: Math.min(Number(request.maxAncestors ?? 0), MAX_PULL_IDS),
        ...(have.byteLength > 0 ? { have } : {}),
        ...(minLamport !== undefined && minLamport > 0 ? { minLamport } : {})
      }
      const records = await answer(ask, MAX_PULL_RESPONSE_BYTES - 1024)
      await lp.write(schema.PullResponse.encode({ records }).finish(), { signal })
      onServed(records.length)
      await stream.close({ signal })
    } catch (err) {
      onFailed(classifyRepairFailure(err))
      stream.abort(err as Error)
    }
  }
  // runOnLimitedConnection: a relayed connection carries the chat until DCUtR upgrades it, repair included.
  await node.handle(REPAIR_PROTOCOL, handler, { maxInboundStreams: 16, runOnLimitedConnection: true })
  return async () => { await node.unhandle(REPAIR_PROTOCOL) }
}

/** Asks `peer` for what `ask` names. Rejects on timeout or protocol error. */
export async function pullFrom (node: Libp2p, peer: PeerId, ask: PullAsk, timeoutMs: number): Promise<SignedRecord[]> {
  const { channelId, ids } = ask
  const signal = AbortSignal.timeout(timeoutMs)
  const stream = await openStreamTo(node, peer, REPAIR_PROTOCOL, signal)
  try {
    const lp = framed(stream, MAX_PULL_RESPONSE_BYTES)
    const request = {
      channelId,
      messageIds: ids.slice(0, MAX_PULL_IDS).map(hexToBytes),
      ...(ask.maxAncestors > 0 && ask.have !== undefined ? { maxAncestors: ask.maxAncestors, haveFilter: ask.have } : {}),
      ...(ask.maxAncestors > 0 && ask.minLamport !== undefined && ask.minLamport > 0 ? { minLamport: Long.fromNumber(ask.minLamport, true) } : {})
    }
    await lp.write(schema.PullRequest.encode(request).finish(), { signal })
    const response = decodeStrict(schema.PullResponse, (await lp.read({ signal })).subarray()) as unknown as RawPullResponse
    await stream.close({ signal }).catch(() => {})
    const records: SignedRecord[] = []
    for (const r of response.records ?? []) {
      const [from, data, seqno, signature, key] = [asBytes(r.from), asBytes(r.data), asBytes(r.seqno), asBytes(r.signature), asBytes(r.key)]
      if (from.byteLength === 0 || seqno.byteLength === 0 || signature.byteLength === 0 || typeof r.topic !== 'string') continue
      records.push({ from, data, seqno, topic: r.topic, signature, ...(key.byteLength > 0 ? { key } : {}) })
    }
    return records
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}
