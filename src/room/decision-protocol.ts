/**
 * The decisions protocol `/p2pchat/decisions/1.0.0`: one stream per request, one length-prefixed
 * `DecisionRequest` and one length-prefixed `DecisionAnswer`. A catch-up asks any peer of the
 * room for the certified entries after an index (the answer is checked by the asker alone, so
 * whoever answers need not be trusted). A proposal asks a committee member to put a governance
 * command in the log; only the leader accepts, and only from the trusted peer the command names.
 */
import Long from 'long'
import { lpStream } from '@libp2p/utils'
import { base58btc } from 'multiformats/bases/base58'
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import { convertBatch, encodeCertifiedBatch, type CertifiedBatch } from '../consensus/index.js'
import { decodeStrict, limitedLengthDecoder, safeUint64, schema, type Uint64Field } from '../wire/index.js'
import { newestOpenConnection } from '../node/newest-connection.js'
import { MAX_COMMAND_BYTES } from './governance-codec.js'

/** The protocol id. */
export const DECISIONS_PROTOCOL = '/p2pchat/decisions/1.0.0'

/** Largest request and answer frames. */
export const MAX_DECISION_REQUEST_BYTES = 4 * 1024
export const MAX_DECISION_ANSWER_BYTES = 1024 * 1024

/** A proposal's outcome. */
export interface ProposalAnswer { accepted: boolean, leader?: string, refusal?: string }

/** What the server side asks its room. */
export interface DecisionServer {
  room: string
  /** The next certified run after `after`, if held. */
  catchUp: (after: number) => CertifiedBatch | undefined
  /** A command (encoded GovernanceCommand) from `from`. */
  propose: (command: Uint8Array, from: string) => ProposalAnswer
  /** A request was malformed or failed (counted as `decisions-<reason>`). */
  failed: (reason: string) => void
}

interface RawAnswer { batch?: Parameters<typeof convertBatch>[0], accepted?: boolean, leader?: Uint8Array, refusal?: string }
interface RawRequest { room?: string, body?: string, catchUp?: { afterIndex?: Uint64Field }, proposal?: { command?: Uint8Array } }

function framed (stream: Stream, max: number): ReturnType<typeof lpStream<Stream>> {
  return lpStream(stream, { maxDataLength: max, lengthDecoder: limitedLengthDecoder(max) })
}

/** Registers the server side; returns its unregistration. */
export async function handleDecisions (node: Libp2p, server: DecisionServer, timeoutMs: number): Promise<() => Promise<void>> {
  const handler = async (stream: Stream, connection: Connection): Promise<void> => {
    const signal = AbortSignal.timeout(timeoutMs)
    try {
      const lp = framed(stream, MAX_DECISION_ANSWER_BYTES)
      const frame = (await lp.read({ signal })).subarray()
      if (frame.byteLength > MAX_DECISION_REQUEST_BYTES) throw new Error('oversized')
      const request = schema.DecisionRequest.toObject(decodeStrict(schema.DecisionRequest, frame), { oneofs: true }) as RawRequest
      let answer: object = {}
      if (request.room !== server.room) {
        server.failed('other-room')
      } else if (request.body === 'catchUp') {
        const after = safeUint64(request.catchUp?.afterIndex)
        const batch = after === undefined ? undefined : server.catchUp(after)
        if (after === undefined) server.failed('malformed')
        if (batch !== undefined) answer = { batch: schema.CertifiedBatch.decode(encodeCertifiedBatch(batch)) }
      } else if (request.body === 'proposal') {
        const command = request.proposal?.command ?? new Uint8Array(0)
        const outcome = command.byteLength === 0 || command.byteLength > MAX_COMMAND_BYTES
          ? { accepted: false, refusal: 'not a command' }
          : server.propose(command, connection.remotePeer.toString())
        answer = { accepted: outcome.accepted, ...(outcome.leader === undefined ? {} : { leader: base58btc.baseDecode(outcome.leader) }), ...(outcome.refusal === undefined ? {} : { refusal: outcome.refusal }) }
      } else {
        server.failed('malformed')
      }
      await lp.write(schema.DecisionAnswer.encode(answer).finish(), { signal })
      await stream.close({ signal })
    } catch (err) {
      server.failed((err as Error).message === 'oversized' ? 'oversized' : 'stream-error')
      stream.abort(err as Error)
    }
  }
  await node.handle(DECISIONS_PROTOCOL, handler, { maxInboundStreams: 16, runOnLimitedConnection: true })
  return async () => { await node.unhandle(DECISIONS_PROTOCOL) }
}

async function ask (node: Libp2p, peer: PeerId, request: object, timeoutMs: number): Promise<RawAnswer> {
  const signal = AbortSignal.timeout(timeoutMs)
  const newest = newestOpenConnection(node.getConnections(peer))
  const stream = newest !== undefined
    ? await newest.newStream(DECISIONS_PROTOCOL, { signal, runOnLimitedConnection: true })
    : await node.dialProtocol(peer, DECISIONS_PROTOCOL, { signal, runOnLimitedConnection: true })
  try {
    const lp = framed(stream, MAX_DECISION_ANSWER_BYTES)
    await lp.write(schema.DecisionRequest.encode(request).finish(), { signal })
    const answer = schema.DecisionAnswer.toObject(decodeStrict(schema.DecisionAnswer, (await lp.read({ signal })).subarray())) as RawAnswer
    await stream.close({ signal }).catch(() => {})
    return answer
  } catch (err) {
    stream.abort(err as Error)
    throw err
  }
}

/**
 * Asks `peer` for the certified entries of `room` after `after`. Resolves undefined when it holds
 * nothing newer; rejects on a timeout, a stream error or a malformed batch.
 */
export async function catchUpFrom (node: Libp2p, peer: PeerId, room: string, after: number, timeoutMs: number): Promise<CertifiedBatch | undefined> {
  const answer = await ask(node, peer, { room, catchUp: { afterIndex: Long.fromNumber(after, true) } }, timeoutMs)
  return answer.batch === undefined || answer.batch === null ? undefined : convertBatch(answer.batch)
}

/** Asks committee member `peer` to put `command` in the log of `room`. */
export async function proposeTo (node: Libp2p, peer: PeerId, room: string, command: Uint8Array, timeoutMs: number): Promise<ProposalAnswer> {
  const answer = await ask(node, peer, { room, proposal: { command } }, timeoutMs)
  const leader = answer.leader !== undefined && answer.leader.byteLength > 0 ? base58btc.baseEncode(answer.leader) : undefined
  return { accepted: answer.accepted === true, ...(leader === undefined ? {} : { leader }), ...(answer.refusal === undefined || answer.refusal === '' ? {} : { refusal: answer.refusal.slice(0, 200) }) }
}
