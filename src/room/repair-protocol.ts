/**
 * The repair protocol `/p2pchat/repair/1.0.0`: a direct request/response for
 * messages a peer is missing. One stream per request; the client writes one
 * length-prefixed PullRequest, the server answers one length-prefixed
 * PullResponse of signed records and closes. Both sides bound sizes and time.
 */

import { lpStream } from '@libp2p/utils'
import type { Libp2p, PeerId, Stream, Connection } from '@libp2p/interface'
import {
  asBytes, schema, bytesToHex, hexToBytes, MAX_PULL_IDS, MAX_PULL_REQUEST_BYTES, MAX_PULL_RESPONSE_BYTES
} from '../wire/index.js'
import type { SignedRecord } from './signed-record.js'

/** The repair protocol id. */
export const REPAIR_PROTOCOL = '/p2pchat/repair/1.0.0'

/** Answers a pull: the signed records this peer holds for `ids` in `channelId`, within `maxBytes`. */
export type PullAnswerer = (channelId: string, ids: string[], maxBytes: number) => Promise<SignedRecord[]>

interface RawPullRequest { channelId?: string, messageIds?: Uint8Array[] }
interface RawPullResponse { records?: Array<Partial<SignedRecord>> }

/** Registers the server side. Returns a function that unregisters it. */
export async function handleRepair (node: Libp2p, answer: PullAnswerer, timeoutMs: number, onServed: (count: number) => void): Promise<() => Promise<void>> {
  const handler = async (stream: Stream, _connection: Connection): Promise<void> => {
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      const lp = lpStream(stream, { maxDataLength: MAX_PULL_REQUEST_BYTES })
      const request = schema.PullRequest.decode((await lp.read({ signal })).subarray()) as unknown as RawPullRequest
      const ids = (request.messageIds ?? []).slice(0, MAX_PULL_IDS).map(id => asBytes(id)).filter(id => id.byteLength === 16).map(id => bytesToHex(id))
      const records = await answer(request.channelId ?? '', ids, MAX_PULL_RESPONSE_BYTES - 1024)
      await lp.write(schema.PullResponse.encode({ records }).finish(), { signal })
      onServed(records.length)
      await stream.close({ signal })
    } catch (err) {
      stream.abort(err as Error)
    }
  }
  await node.handle(REPAIR_PROTOCOL, handler, { maxInboundStreams: 16 })
  return async () => { await node.unhandle(REPAIR_PROTOCOL) }
}

/** Asks `peer` for `ids` of `channelId`. Rejects on timeout or protocol error. */
export async function pullFrom (node: Libp2p, peer: PeerId, channelId: string, ids: string[], timeoutMs: number): Promise<SignedRecord[]> {
  const signal = AbortSignal.timeout(timeoutMs)
  const stream = await node.dialProtocol(peer, REPAIR_PROTOCOL, { signal })
  try {
    const lp = lpStream(stream, { maxDataLength: MAX_PULL_RESPONSE_BYTES })
    await lp.write(schema.PullRequest.encode({ channelId, messageIds: ids.slice(0, MAX_PULL_IDS).map(hexToBytes) }).finish(), { signal })
    const response = schema.PullResponse.decode((await lp.read({ signal })).subarray()) as unknown as RawPullResponse
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
