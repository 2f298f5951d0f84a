/**
 * presence.json: the five `Ephemeral` bodies (a join's record, a leave, a census poll, a
 * reply as the real presence state machine produces them; a lost-peer claim), the KIND_EPHEMERAL ChatMessage
 * that carries the record, and the announce period / TTL for a few roster sizes.
 */
import { Presence } from '../../../src/presence/index.js'
import { decodeEphemeral, encodeEphemeral, type EphemeralMessage } from '../../../src/presence/codec.js'
import { ReliableChannel } from '../../../src/reliability/index.js'
import { toWireMessage } from '../../../src/room/core-adapter.js'
import { encodeChatMessage, schema } from '../../../src/wire/index.js'
import { hex, identities, NOW, TOPIC, type VectorFile } from './common.js'
import { wireFields } from './messages.js'

/** The client string a p2pchat 0.1.0 node announces (`CLIENT_VERSION` in src/room/room.ts). */
export const CLIENT_VERSION = 'p2pchat/0.1.0'

/** An Ephemeral body in JSON form (ids hex, peer ids as multihash hex). */
export type EphemeralFields = Record<string, string | number | boolean>

/** The JSON form of a decoded Ephemeral. */
export function ephemeralFields (msg: EphemeralMessage): EphemeralFields {
  const out: EphemeralFields = {}
  for (const [k, v] of Object.entries(msg)) out[v instanceof Uint8Array ? `${k}Hex` : k] = v instanceof Uint8Array ? hex(v) : v
  return out
}

function decoded (bytes: Uint8Array): EphemeralMessage {
  const result = decodeEphemeral(bytes)
  if (!result.ok) throw new Error(result.detail)
  return result.value
}

/** presence.json */
export async function buildPresence (): Promise<VectorFile> {
  const { alice, bob } = await identities()
  const joinAt = NOW
  const presence = new Presence(alice.id, { nick: 'alice', client: CLIENT_VERSION })
  presence.join(joinAt)
  const record = presence.drainOutgoing()[0]
  const poll = presence.startCensus(joinAt + 20_000)
  if (!poll.ok) throw new Error('census refused')
  const pollBytes = presence.drainOutgoing()[0]
  const leave = presence.leave(joinAt + 30_000)
  if (leave === undefined) throw new Error('no leave')
  const reply = encodeEphemeral({ type: 'reply', pollId: poll.pollId, responder: bob.multihash })
  // alice's connection to bob dropped without a leave and her redial failed: she tells the room.
  const lost = encodeEphemeral({ type: 'lost', envelopeId: '5a'.repeat(16), origin: alice.multihash, subject: bob.multihash, version: joinAt, issuedAt: joinAt + 25_000 })
  // alice's probes of bob failed, directly and through others: she suspects him.
  const suspect = encodeEphemeral({ type: 'suspect', envelopeId: '5b'.repeat(16), origin: alice.multihash, subject: bob.multihash, version: joinAt, issuedAt: joinAt + 24_000 })
  const probeRequest = schema.ProbeRequest.encode({ target: bob.multihash, timeoutMs: 500 }).finish()
  const probeResponse = schema.ProbeResponse.encode({ reached: true }).finish()

  const channel = new ReliableChannel(alice.id, TOPIC)
  channel.tick(joinAt)
  const carrier = toWireMessage(channel.sendEphemeral(record, joinAt), alice.peerId)
  const body = (name: string, bytes: Uint8Array, produce?: object): object =>
    ({ name, ...(produce !== undefined ? { produce } : {}), fields: ephemeralFields(decoded(bytes)), ephemeralHex: hex(bytes) })

  return {
    description: 'Ephemeral is the content of every KIND_EPHEMERAL ChatMessage (nothing else is sent as ephemeral). Peer ids are ' +
      'multihash bytes (…Hex); envelope and poll ids 16 random bytes. A record announces period_ms = round(basePeriodMs × max(1, ' +
      'roster size incl. self / 50)) (30,000 up to 50 peers) and ttl_seconds = ceil(3 × period_ms / 1000) (90 by default); version = ' +
      'max(last + 1, now). "produce" says how the real Presence made a case (the PRNG is seeded from the peer id and the first now, ' +
      'so the ids are reproducible); "carrier" is the ChatMessage that publishes the record; "periods" gives period_ms and ' +
      'ttl_seconds for roster sizes.',
    cases: [
      body('PresenceRecord: alice joins', record, { peer: 'alice', nick: 'alice', client: CLIENT_VERSION, joinAt }),
      body('CensusPoll: alice polls 20 s later (alone in the roster: p = 1)', pollBytes, { after: 'join', now: joinAt + 20_000 }),
      body('PresenceLeave: alice quits 30 s after joining', leave, { after: 'poll', now: joinAt + 30_000 }),
      body('CensusReply: bob answers alice\'s poll', reply),
      body('PresenceLost: alice found bob (version = his join time) gone 25 s after she joined', lost),
      body('PresenceSuspect: alice\'s probes of bob failed 24 s after she joined', suspect),
      { name: 'probe protocol: alice asks a helper to ping bob within 500 ms (ProbeRequest, before its length prefix)', probeRequestHex: hex(probeRequest) },
      { name: 'probe protocol: the helper reached him (ProbeResponse, before its length prefix)', probeResponseHex: hex(probeResponse) },
      { name: 'the ChatMessage that carries alice\'s record (empty history and bloom filter)', carrier: { fields: wireFields(carrier), hex: hex(encodeChatMessage(carrier)) } },
      { name: 'announce period and TTL by roster size', periods: [1, 2, 50, 51, 100, 1000, 10_000].map(size => {
        const periodMs = presence.periodFor(size)
        return { rosterSize: size, periodMs, ttlSeconds: Math.ceil(3 * periodMs / 1000) }
      }) }
    ]
  }
}
