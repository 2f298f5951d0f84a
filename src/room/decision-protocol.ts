/**
 * The decisions protocol `/p2pchat/decisions/1.0.0`: one stream per request, one length-prefixed
 * `DecisionRequest` and one length-prefixed `DecisionAnswer`. A catch-up asks any peer of the
 * room for the certified entries after an index (the answer is checked by the asker alone, so
 * whoever answers need not be trusted). A proposal asks a committee member to put a governance
 * command in the log; only the leader accepts, and only from the trusted peer the command names.
 */
import { lpStream } from '@libp2p/utils'
import type { Connection, Libp2p, PeerId, Stream } from '@libp2p/interface'
import type { CertifiedBatch } from '../consensus/index.js'
import { limitedLengthDecoder } from '../wire/index.js'
import { decodeDecisionAnswer, decodeDecisionRequest, encodeDecisionAnswer, encodeDecisionRequest, type DecisionAnswer, type DecisionRequest } from './decision-codec.js'
import { openStreamTo } from '../node/newest-connection.js'
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
      const request = decodeDecisionRequest(frame)
      let answer: DecisionAnswer = { accepted: false }
      if (request === undefined) {
        server.failed('malformed')
      } else if (request.room !== server.room) {
        server.failed('other-room')
      } else if (request.type === 'catch-up') {
        const batch = server.catchUp(request.after)
        if (batch !== undefined) answer = { batch, accepted: false }
      } else {
        answer = request.command.byteLength === 0 || request.command.byteLength > MAX_COMMAND_BYTES
          ? { accepted: false, refusal: 'not a command' }
          : server.propose(request.command, connection.remotePeer.toString())
      }
      await lp.write(encodeDecisionAnswer(answer), { signal })
      await stream.close({ signal })
    } catch (err) {
      server.failed((err as Error).message === 'oversized' ? 'oversized' : 'stream-error')
      stream.abort(err as Error)
    }
  }
  await node.handle(DECISIONS_PROTOCOL, handler, { maxInboundStreams: 16, runOnLimitedConnection: true })
  return async () => { await node.unhandle(DECISIONS_PROTOCOL) }
}

async function ask (node: Libp2p, peer: PeerId, request: DecisionRequest, timeoutMs: number): Promise<DecisionAnswer> {
  const signal = AbortSignal.timeout(timeoutMs)
  const stream = await openStreamTo(node, peer, DECISIONS_PROTOCOL, signal)
  try {
    const lp = framed(stream, MAX_DECISION_ANSWER_BYTES)
    await lp.write(encodeDecisionRequest(request), { signal })
    const answer = decodeDecisionAnswer((await lp.read({ signal })).subarray())
    await stream.close({ signal }).catch(() => {})
    if (answer === undefined) throw new Error('a garbled decisions answer')
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
  return (await ask(node, peer, { room, type: 'catch-up', after }, timeoutMs)).batch
}

/** Asks committee member `peer` to put `command` in the log of `room`. */
export async function proposeTo (node: Libp2p, peer: PeerId, room: string, command: Uint8Array, timeoutMs: number): Promise<ProposalAnswer> {
  const { accepted, leader, refusal } = await ask(node, peer, { room, type: 'proposal', command }, timeoutMs)
  return { accepted, ...(leader === undefined ? {} : { leader }), ...(refusal === undefined ? {} : { refusal }) }
}
