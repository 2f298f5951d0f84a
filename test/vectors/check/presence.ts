/** Checks of presence.json against the code. */
import { expect } from 'vitest'
import { Presence } from '../../../src/presence/index.js'
import { decodeEphemeral, encodeEphemeral, type EphemeralMessage } from '../../../src/presence/codec.js'
import { computeMessageId, ReliableChannel } from '../../../src/reliability/index.js'
import { toWireMessage } from '../../../src/room/core-adapter.js'
import { decodeChatMessage, encodeChatMessage } from '../../../src/wire/index.js'
import { hex, identity, TOPIC, unhex, type Who } from '../build/common.js'
import { wireFields, type WireFields } from '../build/messages.js'
import { ephemeralFields, type EphemeralFields } from '../build/presence.js'

interface Produce { peer?: Who, nick?: string, client?: string, joinAt?: number, after?: 'join' | 'poll', now?: number }

interface PresenceCase {
  produce?: Produce
  fields?: EphemeralFields
  ephemeralHex?: string
  carrier?: { fields: WireFields, hex: string }
  periods?: Array<{ rosterSize: number, periodMs: number, ttlSeconds: number }>
}

/** The Ephemeral of JSON fields (…Hex fields back to bytes). */
function fromFields (fields: EphemeralFields): EphemeralMessage {
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(fields)) {
    if (k.endsWith('Hex')) out[k.slice(0, -3)] = unhex(String(v))
    else out[k] = v
  }
  return out as unknown as EphemeralMessage
}

/** Alice's join, poll and leave, replayed on a real Presence as the cases' `produce` describe them. */
async function replay (join: Produce, poll: Produce, leave: Produce): Promise<{ join: Uint8Array, poll: Uint8Array, leave: Uint8Array }> {
  const presence = new Presence((await identity(join.peer ?? 'alice')).id, { nick: join.nick, client: join.client })
  presence.join(join.joinAt ?? 0)
  const joined = presence.drainOutgoing()[0]
  presence.startCensus(poll.now ?? 0)
  const polled = presence.drainOutgoing()[0]
  const left = presence.leave(leave.now ?? 0)
  if (left === undefined) throw new Error('no leave')
  return { join: joined, poll: polled, leave: left }
}

export async function checkPresence (c: PresenceCase, all: PresenceCase[]): Promise<void> {
  const alice = await identity('alice')
  if (c.fields !== undefined && c.ephemeralHex !== undefined) {
    expect(hex(encodeEphemeral(fromFields(c.fields)))).toBe(c.ephemeralHex)
    const decoded = decodeEphemeral(unhex(c.ephemeralHex))
    if (!decoded.ok) throw new Error(decoded.detail)
    expect(ephemeralFields(decoded.value)).toEqual(c.fields)
  }
  const [join, poll, leave] = [all.find(x => x.produce?.peer !== undefined), all.find(x => x.produce?.after === 'join'), all.find(x => x.produce?.after === 'poll')]
  if (c.produce !== undefined && join?.produce !== undefined && poll?.produce !== undefined && leave?.produce !== undefined) {
    const made = await replay(join.produce, poll.produce, leave.produce)
    const mine = c.produce.peer !== undefined ? made.join : c.produce.after === 'join' ? made.poll : made.leave
    expect(hex(mine)).toBe(c.ephemeralHex)
  }
  if (c.carrier !== undefined) {
    const record = unhex(join?.ephemeralHex ?? '')
    const channel = new ReliableChannel(alice.id, TOPIC)
    const at = join?.produce?.joinAt ?? 0
    channel.tick(at)
    expect(hex(encodeChatMessage(toWireMessage(channel.sendEphemeral(record, at), alice.peerId)))).toBe(c.carrier.hex)
    const decoded = decodeChatMessage(unhex(c.carrier.hex))
    if (!decoded.ok) throw new Error(decoded.detail)
    expect(wireFields(decoded.value)).toEqual(c.carrier.fields)
    expect(c.carrier.fields.contentHex).toBe(hex(record))
    const f = c.carrier.fields
    expect(computeMessageId({ channelId: f.channelId, senderId: alice.id, lamport: f.lamport, kind: 'ephemeral', content: record })).toBe(f.messageId)
  }
  for (const p of c.periods ?? []) {
    const periodMs = new Presence(alice.id).periodFor(p.rosterSize)
    expect(periodMs).toBe(p.periodMs)
    expect(Math.ceil(3 * periodMs / 1000)).toBe(p.ttlSeconds)
  }
}
