/** Checks of chat-message.json, causal-history.json and lamport.json against the code. */
import { peerIdFromString } from '@libp2p/peer-id'
import { expect } from 'vitest'
import { computeMessageId, ReliableChannel } from '../../../src/reliability/index.js'
import { checkPayload } from '../../../src/room/payload-check.js'
import { decodeChatContent, decodeChatMessage, encodeChatMessage, type ChatContent, type WireMessage } from '../../../src/wire/index.js'
import { hex, identity, TOPIC, unhex, type Who } from '../build/common.js'
import { wireFields, type WireFields } from '../build/messages.js'
import { coreMessage, type Step } from '../build/scenarios.js'

/** The wire message of JSON fields. */
export function fromFields (f: WireFields): WireMessage {
  return {
    version: f.version,
    kind: f.kind,
    messageId: f.messageId,
    senderId: unhex(f.senderIdHex),
    channelId: f.channelId,
    lamport: f.lamport,
    causalHistory: f.causalHistory.map(h => h.retrievalHintHex === undefined
      ? { messageId: h.messageId }
      : { messageId: h.messageId, retrievalHint: unhex(h.retrievalHintHex) }),
    bloomFilter: unhex(f.bloomFilterHex),
    content: unhex(f.contentHex)
  }
}

interface ChatMessageCase { decodeOnly?: boolean, senderPeerId: string, fields: WireFields, chatContent?: ChatContent | null, hex: string }

export async function checkChatMessage (c: ChatMessageCase): Promise<void> {
  const bytes = unhex(c.hex)
  if (c.decodeOnly !== true) expect(hex(encodeChatMessage(fromFields(c.fields)))).toBe(c.hex)
  const decoded = decodeChatMessage(bytes)
  if (!decoded.ok) throw new Error(decoded.detail)
  expect(wireFields(decoded.value)).toEqual(c.fields)
  const f = c.fields
  expect(computeMessageId({ channelId: f.channelId, senderId: c.senderPeerId, lamport: f.lamport, kind: f.kind, content: unhex(f.contentHex) })).toBe(f.messageId)
  expect(hex(peerIdFromString(c.senderPeerId).toMultihash().bytes)).toBe(f.senderIdHex)
  expect(checkPayload(TOPIC, bytes, unhex(f.senderIdHex)).ok).toBe(true)
  if (c.chatContent !== undefined && c.chatContent !== null) {
    expect(decodeChatContent(unhex(f.contentHex))).toEqual({ ok: true, value: c.chatContent })
  }
}

interface ScenarioCase { receiver: Who, startAt: number, steps: Step[] }

/** Replays a scenario on a fresh core for the receiver and compares every step. */
export async function checkScenario (c: ScenarioCase): Promise<void> {
  const channel = new ReliableChannel((await identity(c.receiver)).id, TOPIC)
  channel.tick(c.startAt)
  for (const step of c.steps) {
    if (step.op === 'receive') {
      expect(channel.receive(coreMessage(step.message), step.now), step.label).toEqual(step.expect.result)
      expect(channel.status().lamport, step.label).toBe(step.expect.lamport)
      continue
    }
    const content = unhex(step.contentHex)
    const msg = step.kind === 'content' ? channel.send(content, step.now) : channel.sendEphemeral(content, step.now)
    expect({ messageId: msg.messageId, lamport: msg.lamport, causalHistory: msg.causalHistory.map(h => h.messageId) }, step.label).toEqual(step.expect)
  }
}
